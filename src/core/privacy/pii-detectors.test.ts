import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PiiDetectors } from './pii-detectors.js';
import { ibanChecksumValid, luhnValid } from './pii-checksums.js';

const all = PiiDetectors.all();

/** input → what every detector together leaves of it. A row whose output equals its input is a near-miss. */
const REDACTION_TABLE: [string, string][] = [
  // email
  ['write to ada.lovelace+bank@example.co.uk please', 'write to [EMAIL] please'],
  ['Mail: JOHN_DOE@Mail-Server.example.com.', 'Mail: [EMAIL].'],
  ['user@localhost is not routable', 'user@localhost is not routable'],
  ['the @mention and a@b.c stay', 'the @mention and a@b.c stay'],
  ['root@10.0.0.1', 'root@[IP]'],
  // payment cards: Luhn-valid, issuer ranges 2–6, 13–19 digits
  ['card 4111 1111 1111 1111 exp 12/27', 'card [CARD] exp 12/27'],
  ['4111-1111-1111-1111', '[CARD]'],
  ['pay with 5555555555554444.', 'pay with [CARD].'],
  ['amex 3782 822463 10005', 'amex [CARD]'],
  ['card 4111 1111 1111 1112', 'card 4111 1111 1111 1112'],
  ['order 4111111111111111234567 shipped', 'order 4111111111111111234567 shipped'],
  ['tracking 1234567812345670', 'tracking 1234567812345670'],
  ['4111 1111-1111 1111 mixes separators', '4111 1111-1111 1111 mixes separators'],
  ['ref ID4111111111111111', 'ref ID4111111111111111'],
  // IBAN: registered length per country and MOD 97
  ['IBAN DE89 3704 0044 0532 0130 00 EUR', 'IBAN [IBAN] EUR'],
  ['to GB82WEST12345698765432', 'to [IBAN]'],
  ['nl91abna0417164300 lower case', '[IBAN] lower case'],
  ['FR14 2004 1010 0505 0001 3M02 606', '[IBAN]'],
  ['DE89 3704 0044 0532 0130 01 has a bad checksum', 'DE89 3704 0044 0532 0130 01 has a bad checksum'],
  ['DE89 3704 0044 0532 0130 is too short', 'DE89 3704 0044 0532 0130 is too short'],
  ['ZZ89370400440532013000 is no country', 'ZZ89370400440532013000 is no country'],
  // SSN
  ['ssn 123-45-6789', 'ssn [SSN]'],
  ['ssn 123 45 6789', 'ssn [SSN]'],
  ['000-12-3456 666-12-3456 900-12-3456 123-00-4567 123-45-0000', '000-12-3456 666-12-3456 900-12-3456 123-00-4567 123-45-0000'],
  ['part 123-45-67890', 'part 123-45-67890'],
  // IP addresses
  ['from 192.168.1.20, then 10.0.0.1.', 'from [IP], then [IP].'],
  ['v6 2001:db8::8a2e:370:7334 and fe80::1', 'v6 [IP] and [IP]'],
  ['mapped ::ffff:192.0.2.1 here', 'mapped [IP] here'],
  ['version 1.2.3.4 is a valid address', 'version [IP] is a valid address'],
  ['build v1.2.3.4 and 1.2.3.4.5', 'build v1.2.3.4 and 1.2.3.4.5'],
  ['256.1.1.1 and 01.02.03.04', '256.1.1.1 and 01.02.03.04'],
  ['at 12:30:45, std::vector, a ratio 3:2 and "::"', 'at 12:30:45, std::vector, a ratio 3:2 and "::"'],
  ['mac 00:1A:2B:3C:4D:5E', 'mac 00:1A:2B:3C:4D:5E'],
  // phone numbers
  ['call +1 (415) 555-2671 now', 'call [PHONE] now'],
  ['+44 20 7946 0958', '[PHONE]'],
  ['+4930123456789', '[PHONE]'],
  ['(415) 555-2671 or 415.555.2671 or 1-800-555-0199', '[PHONE] or [PHONE] or [PHONE]'],
  ['UK 020 7946 0958, FR 06 12 34 56 78, DE 030/1234567', 'UK [PHONE], FR [PHONE], DE [PHONE]'],
  ['+1 23', '+1 23'],
  ['ticket 123-456-7890 and 555-1234', 'ticket 123-456-7890 and 555-1234'],
  // dates, amounts, years, order numbers, versions
  ['on 2023-05-12, 12/05/2023 and 05.12.2023 at 10:30', 'on 2023-05-12, 12/05/2023 and 05.12.2023 at 10:30'],
  ['on 01/02/2023 12:30', 'on 01/02/2023 12:30'],
  ['I paid $1,234,567.89 in 1999 and €0.50 in 2023', 'I paid $1,234,567.89 in 1999 and €0.50 in 2023'],
  ['order #A-123456789 and order 987654321', 'order #A-123456789 and order 987654321'],
  ['release 10.15.7 and 2.0.1-beta', 'release 10.15.7 and 2.0.1-beta'],
  ['what is my balance?', 'what is my balance?'],
  // several kinds in one message
  ['I am ada@example.com, card 4111111111111111, SSN 123-45-6789', 'I am [EMAIL], card [CARD], SSN [SSN]'],
];

test('redaction table: every detector on', () => {
  for (const [input, expected] of REDACTION_TABLE) assert.equal(all.redact(input), expected, `input: ${input}`);
});

test('only the configured detectors redact', () => {
  const text = 'ada@example.com 4111111111111111 123-45-6789 10.0.0.1 +44 20 7946 0958 DE89370400440532013000';
  assert.equal(PiiDetectors.of(['card', 'iban', 'ssn']).redact(text), 'ada@example.com [CARD] [SSN] 10.0.0.1 +44 20 7946 0958 [IBAN]');
  assert.equal(PiiDetectors.of(['email', 'ip']).redact(text), '[EMAIL] 4111111111111111 123-45-6789 [IP] +44 20 7946 0958 DE89370400440532013000');
  assert.equal(PiiDetectors.of([]).redact(text), text);
});

test('matches report kind and position, in text order', () => {
  const text = 'SSN 123-45-6789 mail a@example.org';
  assert.deepEqual(all.find(text), [
    { kind: 'ssn', start: 4, end: 15 },
    { kind: 'email', start: 21, end: 34 },
  ]);
});

test('check digits', () => {
  assert.ok(luhnValid('79927398713'));
  assert.ok(!luhnValid('79927398710'));
  assert.ok(ibanChecksumValid('GB82WEST12345698765432'));
  assert.ok(!ibanChecksumValid('GB82WEST12345698765433'));
});

// Catastrophic regex backtracking would hang here; the timeout turns that into a failure.
test('long inputs without PII are left as they are', { timeout: 30_000 }, () => {
  const text = `${'a.'.repeat(5000)}@ ${'1'.repeat(5000)} ${'1:'.repeat(3000)}`;
  assert.equal(all.redact(text), text);
});

test('every detector is linear in the text: near-misses repeated 100,000 times are scanned at once', { timeout: 30_000 }, () => {
  // Runs that each pattern could try to extend or re-enter from every position (a backtracking blow-up would take
  // hours here; each scan takes milliseconds).
  const nearMisses = ['a', 'a.', 'a@', 'a@b.', '1', '1 ', '12 ', '1-', '1234-', '01 ', '0 12', '+1 ', '1.', '123-45-', '123 456 ',
    '(234) ', '1-234-', 'f:', '1:1.1', 'AB12 ', 'ab12 ABCD ', 'AB12'];
  for (const piece of nearMisses) {
    const text = piece.repeat(Math.ceil(100_000 / piece.length));
    assert.ok(Array.isArray(all.find(text)), piece);
    assert.ok(Array.isArray(all.find(`${text}@`)), piece);
  }
});

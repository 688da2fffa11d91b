import { isIPv6 } from 'node:net';
import { PII_KINDS, type PiiKind } from '../../model/redaction.js';
import { IBAN_LENGTHS, ibanChecksumValid, luhnValid } from './pii-checksums.js';

/**
 * Detectors for personal data typed into free text. Each one pairs a cheap regular expression with a validation
 * that rejects look-alikes (check digits, number ranges, lengths), so dates, amounts, order numbers and version
 * strings survive while real identifiers are replaced by a token naming their kind.
 */

export const PII_TOKENS: Readonly<Record<PiiKind, string>> = {
  email: '[EMAIL]', phone: '[PHONE]', card: '[CARD]', iban: '[IBAN]', ssn: '[SSN]', ip: '[IP]',
};

export interface PiiMatch {
  kind: PiiKind;
  start: number;
  end: number;
}

interface Detector {
  kind: PiiKind;
  /** A character every match contains: text without it is not scanned. */
  needs?: string;
  /** Appends the matches found in `text`. */
  find(text: string, out: PiiMatch[]): void;
}

const digitsOf = (s: string) => s.replace(/\D/g, '');

/** Runs a global regex over the text and keeps the candidates `valid` accepts (or trims, by returning an end). */
function scan(kind: PiiKind, re: RegExp, valid: (m: RegExpExecArray) => boolean | number, needs?: string): Detector {
  return {
    kind,
    needs,
    find(text, out) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        const verdict = valid(m);
        if (verdict === false) continue;
        out.push({ kind, start: m.index, end: verdict === true ? m.index + m[0].length : verdict });
      }
    },
  };
}

// Starts only at the beginning of a run of local-part characters, which keeps the scan linear.
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
const email = scan('email', EMAIL, (m) => /^[A-Za-z]{2,}$/.test(m[0].slice(m[0].lastIndexOf('.') + 1)), '@');

// 13–19 digits, bare or in groups of 3–6 split by one kind of separator (4-4-4-4, Amex 4-6-5, …). A longer run of
// digits is an ID, not a card, so the match may not continue into more digits.
const CARD = /(?<![\w-])(?:\d{13,19}(?![\w-])|\d{3,6}([ -])\d{3,6}(?:\1\d{3,6}){1,4}(?!\w|\1\d))/g;
const card = scan('card', CARD, (m) => {
  const digits = digitsOf(m[0]);
  // Issuer ranges start with 2 (Mastercard 2-series) to 6; Luhn rejects 9 in 10 other digit strings.
  return digits.length >= 13 && digits.length <= 19 && digits[0]! >= '2' && digits[0]! <= '6' && luhnValid(digits);
});

// Printed (groups of four) or electronic form. Lower case is accepted, so the BBAN must be mostly digits (every
// registered format is) to keep ordinary words from passing the 1-in-97 checksum by chance.
const IBAN = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:(?: [A-Za-z0-9]{4})+(?: [A-Za-z0-9]{1,3})?|[A-Za-z0-9]{11,30})(?![A-Za-z0-9])/g;
const iban = scan('iban', IBAN, (m) => {
  const compact = m[0].replace(/ /g, '').toUpperCase();
  if (IBAN_LENGTHS[compact.slice(0, 2)] !== compact.length) return false;
  return digitsOf(compact.slice(4)).length * 2 >= compact.length - 4 && ibanChecksumValid(compact);
});

// AAA-GG-SSSS (or with spaces). Never issued: area 000, 666 and 900–999, group 00, serial 0000.
const SSN = /(?<![\w-])(\d{3})([- ])(\d{2})\2(\d{4})(?!\w|\2\d)/g;
const ssn = scan('ssn', SSN, (m) => m[1] !== '000' && m[1] !== '666' && m[1]![0] !== '9' && m[3] !== '00' && m[4] !== '0000');

// Octets without leading zeros, not glued to a word (`v1.2.3.4` is a version) nor part of a longer dotted run.
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`(?<![\\w.])(?:${OCTET}\\.){3}${OCTET}(?!\\w|\\.\\d)`, 'g');
const ipv4 = scan('ip', IPV4, () => true);
// Loose shape, then Node's own parser decides; `12:30:45` and `::` alone are not addresses.
const IPV6 = /(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\.\d{1,3}){0,3}(?![\w:])/g;
const ipv6 = scan('ip', IPV6, (m) => /[0-9A-Fa-f]/.test(m[0]) && isIPv6(m[0]), ':');

// International: "+" then 8–15 digits (E.164) with at most two separators between digits: +1 (415) 555-2671.
const PHONE_INTL = /(?<![\w+])\+(?:\d[ .\-()]{0,2}){7,14}\d(?!\w)/g;
const phoneIntl = scan('phone', PHONE_INTL, (m) => {
  const n = digitsOf(m[0]).length;
  return n >= 8 && n <= 15;
});
// North America: (415) 555-2671, 415-555-2671, 1-800-555-0199. Area code and exchange never start with 0 or 1.
const PHONE_NANP = /(?<![\w+#.-]|\d )(?:1[ .-])?(?:\([2-9]\d\d\) ?|[2-9]\d\d[ .-])[2-9]\d\d[ .-]\d{4}(?!\w|[.-]\d)/g;
const phoneNanp = scan('phone', PHONE_NANP, () => true);
// Trunk-prefix national numbers (020 7946 0958, 06 12 34 56 78, 030/1234567): 9–12 digits, at least one separator.
const PHONE_NATIONAL = /(?<![\w+#./-]|\d )0[1-9]\d{0,3}(?:[ ./-]\d{2,8}){1,4}(?!\w|[./-]\d)/g;
const DATE_PREFIX = /^\d{1,2}([./-])\d{1,2}\1\d{2,4}/;
const phoneNational = scan('phone', PHONE_NATIONAL, (m) => {
  const n = digitsOf(m[0]).length;
  return n >= 9 && n <= 12 && !DATE_PREFIX.test(m[0]);
});

/** Priority order: where two kinds overlap (an IBAN's digits, a card that looks like a phone), the first wins. */
const DETECTORS: readonly Detector[] = [email, iban, card, ssn, ipv6, ipv4, phoneIntl, phoneNanp, phoneNational];

/** Every detector needs a digit, an "@" or a ":" (IPv6): text without one is skipped at the cost of one test. */
const MAYBE_PII = /[0-9@:]/;

/** A fixed set of detectors, compiled once per configuration. */
export class PiiDetectors {
  private static readonly cache = new Map<string, PiiDetectors>();
  private readonly detectors: readonly Detector[];

  private constructor(readonly kinds: readonly PiiKind[]) {
    this.detectors = DETECTORS.filter((d) => kinds.includes(d.kind));
  }

  static of(kinds: readonly PiiKind[]): PiiDetectors {
    const key = PII_KINDS.filter((k) => kinds.includes(k)).join(',');
    let set = PiiDetectors.cache.get(key);
    if (!set) PiiDetectors.cache.set(key, (set = new PiiDetectors(PII_KINDS.filter((k) => kinds.includes(k)))));
    return set;
  }

  static all(): PiiDetectors {
    return PiiDetectors.of(PII_KINDS);
  }

  get empty(): boolean {
    return this.detectors.length === 0;
  }

  /** Non-overlapping matches in text order. */
  find(text: string): PiiMatch[] {
    if (this.detectors.length === 0 || !MAYBE_PII.test(text)) return [];
    const found: PiiMatch[] = [];
    for (const d of this.detectors) {
      if (d.needs !== undefined && !text.includes(d.needs)) continue;
      const before = found.length;
      d.find(text, found);
      // Drop this detector's matches that overlap a higher-priority one.
      for (let i = found.length - 1; i >= before; i--) {
        const m = found[i]!;
        for (let j = 0; j < before; j++) {
          if (m.start < found[j]!.end && found[j]!.start < m.end) {
            found.splice(i, 1);
            break;
          }
        }
      }
    }
    return found.sort((a, b) => a.start - b.start);
  }

  /** The text with every match replaced by its kind's token; the same string when nothing matched. */
  redact(text: string): string {
    const matches = this.find(text);
    return matches.length === 0 ? text : replaceMatches(text, matches, (m) => PII_TOKENS[m.kind]);
  }
}

export function replaceMatches(text: string, matches: readonly PiiMatch[], by: (m: PiiMatch) => string): string {
  let out = '';
  let at = 0;
  for (const m of matches) {
    out += text.slice(at, m.start) + by(m);
    at = m.end;
  }
  return out + text.slice(at);
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTimestamp } from './timestamp.js';

describe('parseTimestamp', () => {
  const valid: Array<[text: string, startMs: number, durationMs: number]> = [
    ['2020-07-01', Date.UTC(2020, 6, 1), 86_400_000],
    ['2020-02-29', Date.UTC(2020, 1, 29), 86_400_000],
    ['2020-07-01T10:30', Date.UTC(2020, 6, 1, 10, 30), 60_000],
    ['2020-07-01T10:30:15', Date.UTC(2020, 6, 1, 10, 30, 15), 1000],
    ['2020-07-01T10:30:15.5', Date.UTC(2020, 6, 1, 10, 30, 15, 500), 100],
    ['2020-07-01T10:30:15.123Z', Date.UTC(2020, 6, 1, 10, 30, 15, 123), 1],
    ['2020-07-01T10:30:15.123456789Z', Date.UTC(2020, 6, 1, 10, 30, 15, 123), 1],
    ['2020-07-01T10:30+02:00', Date.UTC(2020, 6, 1, 8, 30), 60_000],
    ['2020-07-01T00:30-05:30', Date.UTC(2020, 6, 1, 6, 0), 60_000],
    // Years below 100 are not read as 19xx.
    ['0099-01-01', Date.parse('0099-01-01T00:00:00Z'), 86_400_000],
  ];
  for (const [text, startMs, durationMs] of valid) {
    it(`reads ${text} as the range it denotes`, () => {
      assert.deepEqual(parseTimestamp(text), { startMs, endMs: startMs + durationMs });
    });
  }

  const invalid = [
    '2020-13-01',
    '2020-00-10',
    '2020-02-30',
    '2019-02-29',
    '2020-04-31',
    '2020-07-01T24:00',
    '2020-07-01T10:60',
    '2020-07-01T10:30:60',
    '2020-07-01T10',
    '2020-07-01Z',
    '2020-07-01T10:30+2:00',
    '2020-07-01T10:30+24:00',
    '2020-7-1',
    '20200701',
    '2020-07-01T10:30:15.',
    '',
  ];
  for (const text of invalid) {
    it(`rejects ${JSON.stringify(text)}`, () => assert.equal(parseTimestamp(text), undefined));
  }
});

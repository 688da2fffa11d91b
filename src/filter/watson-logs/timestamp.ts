export interface InstantRange {
  startMs: number;
  endMs: number;
}

// YYYY-MM-DD, optionally followed by THH:MM[:SS[.fraction]] and a zone (Z or ±HH:MM); no zone means UTC.
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** The instants a timestamp literal covers, so a date alone is its whole day; undefined if not a real date. */
export function parseTimestamp(text: string): InstantRange | undefined {
  const match = TIMESTAMP.exec(text);
  if (match === null) return undefined;
  // Groups that did not take part in the match are undefined, hence the '' defaults.
  const [, year = '', month = '', day = '', hour = '', minute = '', second = '', fraction = '', zone = ''] = match;
  const midnight = utcMidnight(Number(year), Number(month), Number(day));
  const offsetMs = zoneOffsetMs(zone);
  const timeMs = timeOfDayMs(hour, minute, second, fraction);
  if (midnight === undefined || offsetMs === undefined || timeMs === undefined) return undefined;
  const startMs = midnight + timeMs - offsetMs;
  return { startMs, endMs: startMs + precisionMs(hour, second, fraction) };
}

function utcMidnight(year: number, month: number, day: number): number | undefined {
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  const roundTrips = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return roundTrips ? date.getTime() : undefined;
}

function timeOfDayMs(hour: string, minute: string, second: string, fraction: string): number | undefined {
  const [h, m, s] = [Number(hour), Number(minute), Number(second)];
  if (h > 23 || m > 59 || s > 59) return undefined;
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  return ((h * 60 + m) * 60 + s) * 1000 + ms;
}

function zoneOffsetMs(zone: string): number | undefined {
  if (zone === '' || zone === 'Z') return 0;
  const [hours, minutes] = [Number(zone.slice(1, 3)), Number(zone.slice(4, 6))];
  if (hours > 23 || minutes > 59) return undefined;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes) * MINUTE_MS;
}

function precisionMs(hour: string, second: string, fraction: string): number {
  if (hour === '') return DAY_MS;
  if (second === '') return MINUTE_MS;
  return fraction.length >= 3 ? 1 : 10 ** (3 - fraction.length);
}

import type { EventRecord } from '../../model/events.js';

/** The CSV columns: the event's own fields, then the payload fields Coveo's tables are about, then the rest as JSON. */
const COLUMNS: [string, (e: EventRecord) => unknown][] = [
  ['datetime', (e) => new Date(e.receivedTs).toISOString()],
  ['event_kind', (e) => e.type],
  ['event_id', (e) => e.eventId],
  ['user_id', (e) => e.userId],
  ['visitor_id', (e) => e.visitorId],
  ['visit_id', (e) => e.visitId],
  ['is_anonymous', (e) => e.anonymous],
  ['search_query_uid', (e) => e.searchUid],
  ['origin_level_1', (e) => e.originLevel1],
  ['language', (e) => e.language],
  ...['queryText', 'actionCause', 'numberOfResults', 'documentTitle', 'documentUri', 'documentPosition', 'sourceName', 'eventType',
    'eventValue', 'location', 'title', 'customData'].map((k): [string, (e: EventRecord) => unknown] => [k, (e) => e.payload[k]]),
  ['payload', (e) => e.payload],
];

export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const text = typeof v === 'object' ? JSON.stringify(v) : String(v);
  // Quoted when needed; a leading =, +, - or @ is defused so a spreadsheet never runs a cell as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function renderExport(events: EventRecord[], format: 'CSV' | 'JSON'): Buffer {
  if (format === 'JSON') return Buffer.from(JSON.stringify(events, null, 2));
  const lines = [COLUMNS.map(([name]) => name).join(','), ...events.map((e) => COLUMNS.map(([, get]) => csvCell(get(e))).join(','))];
  return Buffer.from(`${lines.join('\r\n')}\r\n`);
}

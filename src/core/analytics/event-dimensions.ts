import type { EventRecord } from '../../model/events.js';

type Value = string | number | boolean | null | undefined;

/** Dimensions that are columns of the event rather than fields of its payload. */
const COLUMNS: Record<string, (e: EventRecord) => Value> = {
  userid: (e) => e.userId,
  username: (e) => e.userId,
  user: (e) => e.userId,
  visitorid: (e) => e.visitorId,
  clientid: (e) => e.visitorId,
  visitid: (e) => e.visitId,
  type: (e) => e.type,
  anonymous: (e) => e.anonymous,
  language: (e) => e.language,
  datetime: (e) => new Date(e.receivedTs).toISOString(),
  searchqueryuid: (e) => e.searchUid,
};

function scalar(v: unknown): Value {
  if (v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

function field(obj: Record<string, unknown> | undefined, lowerName: string): unknown {
  if (!obj) return undefined;
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lowerName);
  return key === undefined ? undefined : obj[key];
}

/**
 * The value of a Coveo read-filter dimension for an event: a column, `c_<key>` for a customData key (Coveo's
 * convention for custom dimensions), or any payload field by its name in lower case (originlevel1, querytext,
 * eventtype, documenturi, …).
 */
export function eventDimension(e: EventRecord, name: string): Value {
  const column = COLUMNS[name];
  if (column) return column(e);
  if (name.startsWith('c_')) return scalar(field(e.payload.customData as Record<string, unknown> | undefined, name.slice(2)));
  return scalar(field(e.payload, name));
}

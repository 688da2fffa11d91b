import { Value } from 'typebox/value';
import type { Analytics, EventContext } from './analytics.js';
import { ProtocolEventSchema, type ProtocolEvent } from './event-schemas.js';

/** Event Protocol timestamps before 2020-01-01 are refused, as Coveo does. */
const MIN_TS = 1_577_836_800_000;

export interface ProtocolVerdict {
  accepted: boolean;
  errorCode?: string;
  errorMessage?: string;
}

/** Checks Coveo documents per event type; other types only need a valid `meta`. */
const TYPE_RULES: Record<string, (e: Record<string, unknown>) => string | null> = {
  itemClick: (e) => {
    const meta = e.itemMetadata as Record<string, unknown> | undefined;
    if (typeof e.searchUid !== 'string' || e.searchUid.length > 128) return 'searchUid must be a string of at most 128 characters';
    if (!Number.isInteger(e.position) || (e.position as number) < 1 || (e.position as number) > 32767) return 'position must be an integer from 1 to 32767';
    if (!meta || typeof meta.uniqueFieldName !== 'string' || typeof meta.uniqueFieldValue !== 'string') {
      return 'itemMetadata needs uniqueFieldName and uniqueFieldValue';
    }
    return null;
  },
};

export function checkProtocolEvent(raw: unknown): ProtocolVerdict {
  if (!Value.Check(ProtocolEventSchema, raw)) {
    const first = [...Value.Errors(ProtocolEventSchema, raw)][0];
    return { accepted: false, errorCode: 'INVALID_EVENT', errorMessage: `${first?.instancePath || '/'} ${first?.message ?? 'is invalid'}` };
  }
  const e = raw as ProtocolEvent;
  if (e.meta.ts < MIN_TS) return { accepted: false, errorCode: 'INVALID_EVENT', errorMessage: '/meta/ts must be at least 1577836800000' };
  const problem = TYPE_RULES[e.meta.type]?.(e);
  return problem ? { accepted: false, errorCode: 'INVALID_EVENT', errorMessage: problem } : { accepted: true };
}

/**
 * `POST /rest/organizations/{org}/events/v1`: each event is checked and stored on its own, and the reply says, in
 * order, which were accepted; a rejected event does not stop the others.
 */
export async function recordProtocolEvents(analytics: Analytics, ctx: EventContext, events: unknown[]): Promise<ProtocolVerdict[]> {
  return Promise.all(events.map(async (raw) => {
    const verdict = checkProtocolEvent(raw);
    if (!verdict.accepted) return verdict;
    const { meta, ...payload } = raw as ProtocolEvent;
    await analytics.record(
      { ...ctx, canImpersonate: false },
      meta.type,
      { ...payload, clientId: meta.clientId ?? undefined, protocolMeta: meta },
    );
    return verdict;
  }));
}

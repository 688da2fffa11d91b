/** A usage-analytics event (search, click, custom, view, collect, or an Event Protocol event). */
export interface EventRecord {
  eventId: string;
  instanceId: string;
  /** search, click, custom, view, collect, or the Event Protocol's meta.type (itemClick, ec.purchase, …). */
  type: string;
  /** Who the event is attributed to: the username, the visitor ID for anonymous visitors, or a pseudonym. */
  userId: string | null;
  visitorId: string | null;
  visitId: string | null;
  anonymous: boolean;
  /** searchQueryUid of a search/click, lastSearchQueryUid of a custom event. */
  searchUid: string | null;
  originLevel1: string | null;
  language: string | null;
  /** Keyed hash of the sender's IP address; the address itself is never stored. */
  ipHash: string | null;
  receivedTs: number;
  /** Set on events that arrived together through /searches. */
  batchId: string | null;
  /** The event as stored, after identity fields were resolved or masked. */
  payload: Record<string, unknown>;
}

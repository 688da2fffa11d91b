/**
 * Every log row is keyed by a time-ordered sequence number: the millisecond it was received times SEQ_PER_MS plus
 * its rank among the messages received in that millisecond. Ordering by it is ordering by request time, a
 * request-time range is a key range, and every index that ends in the key (full-text, subjects, scopes) already
 * yields rows in time order, so the first page of any filter is read in key order instead of being sorted.
 * 2^10 per millisecond keeps keys below 2^53 (exact in JavaScript numbers) until the year 2255.
 */
export const SEQ_PER_MS = 1024;

export const seqFloor = (ms: number) => ms * SEQ_PER_MS;
export const requestTsOf = (seq: number) => Math.floor(seq / SEQ_PER_MS);

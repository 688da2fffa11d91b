import { v7 as uuidv7 } from 'uuid';

/** Time-ordered identifiers: index inserts stay at the right edge and ids sort by creation time. */
export function newId(): string {
  return uuidv7();
}

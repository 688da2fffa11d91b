import { BadRequest } from '../../model/errors.js';
import { identifier } from '../../model/identifier.js';

const MAX_CUSTOMER_IDS = 20;

// HTTP's optional whitespace, and only that: the header arrives as Latin-1, where String.prototype.trim would also
// strip byte 0xA0, the last byte of à and of many other UTF-8 characters.
const OWS = /^[ \t]+|[ \t]+$/g;
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A header value as Node hands it over (each byte as one Latin-1 character), read as UTF-8 and then percent-decoded:
 * `customer_id=josé` sent as UTF-8 and `customer_id=jos%C3%A9` are the same ID. Clients whose HTTP stack cannot send
 * UTF-8 in a header (the ibm-watson SDK sends Latin-1 and drops characters beyond it) percent-encode it. Bytes that
 * are not UTF-8 (josé sent as Latin-1) and malformed escapes are refused, never guessed at.
 */
function headerText(latin1: string): string {
  try {
    return decodeURIComponent(UTF8.decode(Buffer.from(latin1, 'latin1')));
  } catch {
    throw new BadRequest('Invalid X-Watson-Metadata header: it must be UTF-8, and a "%" must start a percent-encoded UTF-8 byte (write a literal % as %25)');
  }
}

/**
 * `X-Watson-Metadata: customer_id=a;customer_id=b` → ['a', 'b'], each under the identifier rule (identifier.ts).
 * Anything that is not a list of `field=value` pairs is rejected before anything is stored: a customer ID that
 * cannot be read exactly could never be deleted by it later. A raw `;` or `=` is syntax; percent-encoded, it is part
 * of the ID.
 */
export function parseWatsonMetadata(header: string | string[] | undefined): string[] {
  if (header === undefined) return [];
  if (Array.isArray(header)) throw new BadRequest('X-Watson-Metadata must be sent once');
  const ids: string[] = [];
  for (const raw of header.split(';')) {
    const pair = raw.replace(OWS, '');
    if (pair === '') continue;
    const parts = pair.split('=');
    if (parts.length !== 2) {
      throw new BadRequest('Invalid X-Watson-Metadata header: each entry must be field=value, and a customer_id cannot contain a raw ";" or "=" (percent-encode them)');
    }
    const [field, value] = parts.map((p) => p.replace(OWS, '')) as [string, string];
    if (field !== 'customer_id') throw new BadRequest(`Invalid X-Watson-Metadata header: unknown field "${headerText(field)}"; only customer_id is supported`);
    const id = identifier(headerText(value), 'customer_id in X-Watson-Metadata');
    if (!ids.includes(id)) ids.push(id);
  }
  if (ids.length === 0) throw new BadRequest('Invalid X-Watson-Metadata header: no customer_id=value entry');
  if (ids.length > MAX_CUSTOMER_IDS) throw new BadRequest(`Invalid X-Watson-Metadata header: at most ${MAX_CUSTOMER_IDS} customer IDs`);
  return ids;
}

/** `X-Watson-Learning-Opt-Out: true` (Watson also accepts 1). */
export function parseLearningOptOut(header: string | string[] | undefined): boolean {
  if (header === undefined) return false;
  const v = (Array.isArray(header) ? header.join(',') : header).trim().toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0' || v === '') return false;
  throw new BadRequest('X-Watson-Learning-Opt-Out must be true or false');
}

import { BadRequest } from '../errors.js';

const MAX_CUSTOMER_IDS = 20;
const MAX_ID_LENGTH = 256;

/**
 * `X-Watson-Metadata: customer_id=a;customer_id=b` → ['a', 'b'].
 * Anything that is not a list of `field=value` pairs is rejected before anything is stored: a customer ID that
 * cannot be parsed exactly could never be deleted by it later.
 */
export function parseWatsonMetadata(header: string | string[] | undefined): string[] {
  if (header === undefined) return [];
  if (Array.isArray(header)) throw new BadRequest('X-Watson-Metadata must be sent once');
  const ids: string[] = [];
  for (const raw of header.split(';')) {
    const pair = raw.trim();
    if (pair === '') continue;
    const parts = pair.split('=');
    if (parts.length !== 2) {
      throw new BadRequest('Invalid X-Watson-Metadata header: each entry must be field=value, and a customer_id cannot contain ";" or "="');
    }
    const [field, value] = parts.map((p) => p.trim()) as [string, string];
    if (field !== 'customer_id') throw new BadRequest(`Invalid X-Watson-Metadata header: unknown field "${field}"; only customer_id is supported`);
    if (value === '' || value.length > MAX_ID_LENGTH || /[\u0000-\u001f\u007f]/.test(value)) {
      throw new BadRequest(`Invalid X-Watson-Metadata header: a customer_id must be 1-${MAX_ID_LENGTH} printable characters`);
    }
    if (!ids.includes(value)) ids.push(value);
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

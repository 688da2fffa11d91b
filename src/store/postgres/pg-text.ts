/**
 * PostgreSQL text cannot hold U+0000, and jsonb rejects the `\u0000` escape. Lethe's other strings pass through
 * unchanged; a NUL (never meaningful in chat text or identifiers) is stored, and searched for, as U+FFFD.
 */
export function pgText<T>(value: T): T {
  return (typeof value === 'string' ? value.replace(/\u0000/g, '\uFFFD') : value) as T;
}

// A `\u0000` escape in JSON text: preceded by an even number of backslashes (an odd number would escape the `\`).
const NUL_ESCAPE = /(?<!\\)((?:\\\\)*)\\u0000/g;

/** JSON.stringify escapes NUL rather than writing it, so JSON text needs the escape replaced instead. */
export function pgJson(value: unknown): string {
  return JSON.stringify(value).replace(NUL_ESCAPE, '$1\\ufffd');
}

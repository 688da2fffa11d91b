/** Checks for configuration and identifier values; each throws a message naming the offending setting. */
export const INSTANCE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

function fail(name: string, expectation: string, value: string): never {
  throw new Error(`${name} must be ${expectation} (got "${value}")`);
}

export const setting = {
  port(value: string, name: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 65535) fail(name, 'a TCP port number', value);
    return n;
  },
  positiveInt(value: string, name: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) fail(name, 'a positive integer', value);
    return n;
  },
  nonNegativeInt(value: string, name: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || value.trim() === '') fail(name, 'a non-negative integer', value);
    return n;
  },
  instanceId(value: string, name: string): string {
    if (!INSTANCE_ID_PATTERN.test(value)) fail(name, 'letters, digits, "_", "." or "-" (at most 64)', value);
    return value;
  },
  secret(value: string, name: string): string {
    // Never echo the value: it is a credential.
    if (value.length < 16 || /\s/.test(value)) throw new Error(`${name} must be at least 16 characters without spaces`);
    return value;
  },
  /** An absolute http(s) URL without credentials, query or fragment; returned without a trailing slash. */
  publicUrl(value: string, name: string): string {
    let url: URL | undefined;
    try { url = new URL(value); } catch { /* refused below */ }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash || value.includes('?') || value.includes('#')) {
      fail(name, 'an absolute http(s) URL without credentials, query or fragment, such as https://lethe.example.com', value);
    }
    return url.origin + url.pathname.replace(/\/+$/, '');
  },
  oneOf<T extends string>(value: string, allowed: readonly T[], name: string): T {
    if (!(allowed as readonly string[]).includes(value)) fail(name, `one of ${allowed.join(', ')}`, value);
    return value as T;
  },
};

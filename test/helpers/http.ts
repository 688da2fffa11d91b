import { request as httpRequest } from 'node:http';

/** A small fetch wrapper for tests that speak to the server directly (where no official client exists). */
export interface Reply {
  status: number;
  body: any;
  headers: Headers;
}

export async function call(
  base: string, method: string, path: string,
  opts: { key?: string; basic?: boolean; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key !== undefined) {
    headers.authorization = opts.basic === false ? `Bearer ${opts.key}` : `Basic ${Buffer.from(`apikey:${opts.key}`).toString('base64')}`;
  }
  let body: string | undefined = opts.rawBody;
  if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try { parsed = text ? JSON.parse(text) : undefined; } catch { /* keep text */ }
  return { status: res.status, body: parsed, headers: res.headers };
}

/**
 * A request whose Host header (and any other) is the caller's to choose, as an attacker's would be; fetch always
 * sends the real host. The body is parsed as JSON when it is JSON.
 */
export function callWithHeaders(base: string, method: string, path: string, headers: Record<string, string>, key?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const auth: Record<string, string> = key === undefined ? {} : { authorization: `Basic ${Buffer.from(`apikey:${key}`).toString('base64')}` };
    const req = httpRequest(new URL(path, base), { method, headers: { ...auth, ...headers } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => {
        let parsed: unknown = text;
        try { parsed = text ? JSON.parse(text) : undefined; } catch { /* keep text */ }
        const h = new Headers();
        for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') h.set(name, value);
        resolve({ status: res.statusCode ?? 0, body: parsed, headers: h });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

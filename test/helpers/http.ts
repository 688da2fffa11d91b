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

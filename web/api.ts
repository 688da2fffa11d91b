/**
 * The dashboard's only way to the server: Lethe's authenticated JSON APIs, with the API key as a Bearer token.
 *
 * The key lives in sessionStorage, not localStorage: it is gone when the tab closes, is not shared with other tabs
 * and does not sit on disk for the next person at the machine. A key here can read and delete people's data, so the
 * shorter its life in the browser, the better; signing in again per tab is the price.
 */
const KEY_ITEM = 'lethe.apiKey';

export const storedKey = (): string | null => sessionStorage.getItem(KEY_ITEM);
export const storeKey = (key: string): void => sessionStorage.setItem(KEY_ITEM, key);
export const forgetKey = (): void => sessionStorage.removeItem(KEY_ITEM);

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

let unauthorized: () => void = () => {};
/** What to do when the server refuses the key (revoked, or never valid): the app returns to sign-in. */
export function onUnauthorized(handler: () => void): void {
  unauthorized = handler;
}

type Query = Record<string, string | number | undefined>;

/** The server's reason, whichever API family answered: native `{error: {message}}`, Watson `{error}`, Coveo `{message}`. */
async function reasonOf(res: Response): Promise<string> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { error?: string | { message?: string }; message?: string };
    const reason = typeof body.error === 'string' ? body.error : body.error?.message ?? body.message;
    if (reason) return reason;
  } catch {
    // not JSON: fall back to the status line below
  }
  return `${res.status} ${res.statusText}`;
}

async function send(method: string, path: string, opts: { query?: Query; body?: unknown; key?: string } = {}): Promise<Response> {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  const key = opts.key ?? storedKey();
  const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body), cache: 'no-store' });
  if (res.ok) return res;
  const error = new ApiError(res.status, await reasonOf(res));
  if (res.status === 401 && opts.key === undefined) unauthorized();
  throw error;
}

export const getJson = async <T>(path: string, query?: Query): Promise<T> => (await send('GET', path, { query })).json() as Promise<T>;
export const postJson = async <T>(path: string, body?: unknown): Promise<T> => (await send('POST', path, { body })).json() as Promise<T>;
export const deleteResource = async (path: string): Promise<void> => {
  await send('DELETE', path);
};

/** Checks a key before keeping it; a 401 here is a wrong key, not an expired session. */
export const whoami = (key?: string): Promise<Whoami> => send('GET', '/api/v1/whoami', { key }).then((r) => r.json() as Promise<Whoami>);

export interface DownloadedFile {
  blob: Blob;
  filename: string;
}

/** A file the server sends as an attachment, with the name it suggests. */
async function fileOf(res: Response): Promise<DownloadedFile> {
  const disposition = res.headers.get('content-disposition') ?? '';
  return { blob: await res.blob(), filename: /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'download' };
}

export const postForFile = async (path: string, body: unknown): Promise<DownloadedFile> => fileOf(await send('POST', path, { body }));
export const getForFile = async (path: string, query?: Query): Promise<DownloadedFile> => fileOf(await send('GET', path, { query }));

/**
 * Hands a file to the browser's downloads. The file was fetched with the key in a header, which a plain link cannot
 * send, so it is saved from memory rather than by navigating to the route.
 */
export function saveFile({ blob, filename }: DownloadedFile): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export interface Whoami {
  key_id: string;
  name: string | null;
  instance: string;
  privileges: string[];
}

import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { literalAddress, type AddressPolicy } from './address-policy.js';
import { BlockedAddress, guardedLookup, systemResolve, type Resolve } from './guarded-lookup.js';

export interface PostResult {
  /** The receiver's status, or null when it did not answer. */
  httpStatus: number | null;
  /**
   * What the delivery log shows: `HTTP <status>`, `timeout`, or `connection failed` for every other failure. A
   * refused (internal) address, a name that does not resolve and a refused connection all read the same, so the
   * log tells an instance's admin nothing about the network behind Lethe.
   */
  error: string | null;
  /** The precise reason (`blocked address`, `ECONNREFUSED` …), for the operator's own log only. */
  cause: string | null;
}

export const CONNECTION_FAILED = 'connection failed';

/**
 * POSTs one webhook body. Only to addresses the policy permits, checked on the address connected to (a literal one
 * before connecting, a resolved one in the connection's own lookup); redirects are not followed; the answer's body
 * is never read; the whole attempt, DNS included, is bounded by `timeoutMs`.
 */
export class WebhookTransport {
  private readonly lookup;

  constructor(private readonly policy: AddressPolicy, private readonly timeoutMs: number, resolve: Resolve = systemResolve) {
    this.lookup = guardedLookup(policy, resolve);
  }

  post(url: string, headers: Record<string, string>, body: string): Promise<PostResult> {
    const target = new URL(url);
    const literal = literalAddress(target);
    if (literal !== null && !this.policy.permits(literal)) return Promise.resolve(failed(new BlockedAddress()));
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      // A fresh connection per attempt (no agent): a kept-alive socket would skip the lookup.
      const req = request(target, {
        method: 'POST', agent: false, lookup: this.lookup, signal: AbortSignal.timeout(this.timeoutMs),
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      }, (res) => {
        const status = res.statusCode ?? 0;
        res.destroy();
        resolve({ httpStatus: status, error: status >= 200 && status < 300 ? null : `HTTP ${status}`, cause: null });
      });
      req.on('error', (err) => resolve(failed(err)));
      req.end(body);
    });
  }
}

function failed(err: Error & { code?: string }): PostResult {
  if (err.name === 'AbortError' || err.name === 'TimeoutError') return { httpStatus: null, error: 'timeout', cause: 'timeout' };
  // The code, never the message, which may quote the URL.
  return { httpStatus: null, error: CONNECTION_FAILED, cause: err instanceof BlockedAddress ? 'blocked address' : err.code ?? err.name };
}

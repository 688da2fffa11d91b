import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Subject } from '../../model/subjects.js';
import type { SecretRepository } from '../../store/store.js';
import { identifier } from '../../model/identifier.js';

/**
 * Who an analytics event is about. Keyed hashes (HMAC-SHA-256 with an installation secret, per instance) turn the
 * identity of `anonymous` events into a stable pseudonym, so sessions stay distinguishable while the identity cannot
 * be read back, and turn IP addresses into values that can be compared but never reversed.
 */
export class AnalyticsIdentity {
  /** The same addresses send event after event; remembering their hashes keeps HMACs off the hot path. */
  private readonly ipHashes = new Map<string, string>();

  private constructor(private readonly key: Buffer) {}

  static async load(secrets: SecretRepository): Promise<AnalyticsIdentity> {
    const value = await secrets.getOrCreate('analytics-pseudonym-key', () => randomBytes(32).toString('base64'));
    return new AnalyticsIdentity(Buffer.from(value, 'base64'));
  }

  pseudonym(instanceId: string, identity: string): string {
    return `anon-${this.hmac('user', instanceId, identity).slice(0, 32)}`;
  }

  ipHash(instanceId: string, ip: string): string {
    const key = `${instanceId}\u0000${ip}`;
    let hash = this.ipHashes.get(key);
    if (hash === undefined) {
      hash = this.hmac('ip', instanceId, ip).slice(0, 32);
      if (this.ipHashes.size >= 10_000) this.ipHashes.clear();
      this.ipHashes.set(key, hash);
    }
    return hash;
  }

  /** Every subject under which events about `userId` may be stored: the ID itself, as visitor, and its pseudonym. */
  aliases(instanceId: string, userId: string): Subject[] {
    return [
      { kind: 'user_id', value: userId },
      { kind: 'visitor_id', value: userId },
      { kind: 'user_id', value: this.pseudonym(instanceId, userId) },
    ];
  }

  private hmac(purpose: string, instanceId: string, value: string): string {
    return createHmac('sha256', this.key).update(`${purpose}\u0000${instanceId}\u0000${value}`).digest('hex');
  }
}

export interface VisitorHints {
  /** `?visitor=` (fetch) or `?visitorId=` (beacon). */
  param?: string | undefined;
  /** The `visitor` cookie. */
  cookie?: string | undefined;
  prioritizeParam?: boolean | undefined;
  /** `clientId` from the event body: what current clients use instead of the visitor parameter. */
  clientId?: string | undefined;
}

const VISITOR_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Coveo's rule: the cookie wins over the parameter unless told otherwise; without either, a new ID is assigned. */
export function resolveVisitorId(h: VisitorHints): string {
  const ordered = h.prioritizeParam ? [h.param, h.cookie, h.clientId] : [h.cookie, h.param, h.clientId];
  return ordered.find((v): v is string => typeof v === 'string' && VISITOR_ID.test(v)) ?? randomUUID();
}

export interface ResolvedUser {
  /** What the event is attributed to: the named user, else the visitor; a pseudonym when anonymous. */
  userId: string;
  /** The username kept on the event, if any (never for anonymous events). */
  username: string | null;
}

/**
 * Only a key with the impersonate privilege may name the user; with any other API key the user is "anonymous"
 * (Coveo's rule), and the event belongs to the visitor. A named user is an identifier (identifier.ts): refused when
 * it could not be named again exactly by a later overview or deletion.
 */
export function resolveUser(
  identity: AnalyticsIdentity, instanceId: string, o: { username?: string | undefined; anonymous: boolean; canImpersonate: boolean; visitorId: string },
): ResolvedUser {
  const named = o.canImpersonate && o.username && o.username !== 'anonymous' ? identifier(o.username, 'username') : null;
  const subject = named ?? o.visitorId;
  if (o.anonymous) return { userId: identity.pseudonym(instanceId, subject), username: null };
  return { userId: subject, username: named ?? 'anonymous' };
}

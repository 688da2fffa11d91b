import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { newId } from '../../model/ids.js';
import { BadRequest, NotFound } from '../../model/errors.js';
import { PRIVILEGES, type Privilege } from '../../model/privileges.js';
import type { ApiKeyRecord } from '../../model/api-keys.js';
import type { KeyRepository } from '../../store/store.js';
import { SYSTEM_ACTOR } from '../audit/actors.js';
import type { AuditRecorder } from '../audit/audit-trail.js';

const SECRET_PREFIX = 'lethe_';
/** The name of the key LETHE_ADMIN_KEY creates, the only key whose secret is chosen (migration 10 relies on it). */
const CHOSEN_ADMIN_KEY_NAME = 'admin (LETHE_ADMIN_KEY)';

/** API keys carry 256 random bits, so one SHA-256 is enough to make the stored hash useless to a thief. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64url');
}

/** Characters of a secret stored and shown to tell keys apart: a few, whatever the key's length. */
const SHOWN_CHARACTERS = 4;

/**
 * What listings show of a key. A generated key: Lethe's `lethe_` marker, which tells nothing of the secret, and 4 of
 * its random characters. A key the operator chose (LETHE_ADMIN_KEY): its first 4 characters, marker or not, since
 * every character shown is one fewer to guess from a stolen hash.
 */
export function keyPrefix(secret: string, generated: boolean): string {
  return generated ? secret.slice(0, SECRET_PREFIX.length + SHOWN_CHARACTERS) : secret.slice(0, SHOWN_CHARACTERS);
}

export function parsePrivileges(values: string[]): Privilege[] {
  const unknown = values.filter((v) => !(PRIVILEGES as readonly string[]).includes(v));
  if (unknown.length) throw new BadRequest(`Unknown privilege(s): ${unknown.join(', ')}. Known: ${PRIVILEGES.join(', ')}`);
  return [...new Set(values)] as Privilege[];
}

export interface Principal {
  keyId: string;
  instanceId: string;
  privileges: ReadonlySet<Privilege>;
}

export function hasPrivilege(p: Principal, needed: Privilege): boolean {
  return p.privileges.has('admin') || p.privileges.has(needed);
}

export interface CreatedKey {
  key: ApiKeyRecord;
  /** Shown once to whoever created the key; only its hash is stored. */
  secret: string;
}

/**
 * Looks keys up by the SHA-256 of the presented secret, with a short-lived cache keyed by that hash (hashing is
 * about 1 µs). A revocation made through this process clears the cache at once; other processes see it within
 * `cacheMs`.
 */
export class ApiKeys {
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();

  constructor(private readonly repo: KeyRepository, private readonly audit: AuditRecorder, private readonly cacheMs = 5000) {}

  /** `actor` (actors.ts) is who the audit trail records as creating the key; `chosen`, the operator's own secret. */
  async create(instanceId: string, name: string, privileges: Privilege[], actor: string, chosen?: string): Promise<CreatedKey> {
    if (!privileges.length) throw new BadRequest('A key needs at least one privilege');
    const secret = chosen ?? generateSecret();
    const key: ApiKeyRecord = {
      keyId: newId(), instanceId, name, prefix: keyPrefix(secret, chosen === undefined),
      secretHash: hashSecret(secret), privileges, createdAt: Date.now(), revokedAt: null,
    };
    await this.repo.insert(key);
    // The name is free text an operator may fill with a person's name: the trail keeps the ID and privileges only.
    await this.audit.record({ instanceId, actor, action: 'key.create', target: key.keyId, details: { privileges: privileges.join(',') } });
    return { key, secret };
  }

  list(instanceId: string | null): Promise<ApiKeyRecord[]> {
    return this.repo.list(instanceId);
  }

  async revoke(keyId: string, instanceId: string | null, actor: string): Promise<void> {
    const key = (await this.repo.list(instanceId)).find((k) => k.keyId === keyId);
    if (!key || !(await this.repo.revoke(keyId, key.instanceId, Date.now()))) throw new NotFound(`No active API key ${keyId}`);
    this.cache.clear();
    await this.audit.record({ instanceId: key.instanceId, actor, action: 'key.revoke', target: keyId });
  }

  async authenticate(secret: string): Promise<Principal | null> {
    const now = Date.now();
    // Keyed by the hash, not the secret: the lookup's timing depends on a value an attacker cannot steer, and no
    // plaintext secret stays in memory after its request.
    const hash = hashSecret(secret);
    const cached = this.cache.get(hash);
    if (cached && cached.until > now) return cached.principal;
    const key = await this.repo.findBySecretHash(hash);
    const valid = key !== undefined && key.revokedAt === null &&
      timingSafeEqual(Buffer.from(key.secretHash, 'hex'), Buffer.from(hash, 'hex'));
    const principal = valid ? { keyId: key.keyId, instanceId: key.instanceId, privileges: new Set(key.privileges) } : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { principal, until: now + this.cacheMs });
    return principal;
  }

  /**
   * LETHE_ADMIN_KEY names a key that must exist with every privilege; without it, a first start mints one.
   * Returns the secret only when it was generated here, so the caller can show it exactly once.
   */
  async ensureAdmin(instanceId: string, configured: string | undefined): Promise<string | null> {
    if (configured) {
      const existing = await this.repo.findBySecretHash(hashSecret(configured));
      if (existing && existing.revokedAt === null && existing.instanceId === instanceId && existing.privileges.includes('admin')) return null;
      if (existing) throw new Error('LETHE_ADMIN_KEY matches a key that is revoked, belongs to another instance or is not admin');
      await this.create(instanceId, CHOSEN_ADMIN_KEY_NAME, ['admin'], SYSTEM_ACTOR, configured);
      return null;
    }
    if ((await this.repo.countActive()) > 0) return null;
    return (await this.create(instanceId, 'admin (generated at first start)', ['admin'], SYSTEM_ACTOR)).secret;
  }
}

import type { ApiKeyRecord } from '../../model/api-keys.js';
import { iso } from '../iso.js';

/** A key as listed: its prefix, never its secret or the secret's hash. */
export function keyJson(k: ApiKeyRecord) {
  return {
    key_id: k.keyId, instance_id: k.instanceId, name: k.name, prefix: k.prefix, privileges: k.privileges,
    created: iso(k.createdAt), revoked: iso(k.revokedAt),
  };
}

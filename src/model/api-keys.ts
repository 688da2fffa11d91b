import type { Privilege } from './privileges.js';

/** An API key as stored: only the hash of its secret. Times are epoch milliseconds, as in every record of src/model. */
export interface ApiKeyRecord {
  keyId: string;
  instanceId: string;
  name: string;
  /** The first characters of the secret, shown in listings so a key can be recognised without revealing it. */
  prefix: string;
  secretHash: string;
  privileges: Privilege[];
  createdAt: number;
  revokedAt: number | null;
}

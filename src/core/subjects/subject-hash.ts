import { createHmac, randomBytes } from 'node:crypto';
import type { Subject } from '../../model/subjects.js';
import type { SecretRepository } from '../../store/store.js';

/**
 * Receipts name a subject only by a keyed hash: a plain hash of a guessable customer ID could be reversed by
 * trying candidates, a keyed one cannot without the installation's secret.
 */
export class SubjectHasher {
  private constructor(private readonly key: Buffer) {}

  static async load(secrets: SecretRepository): Promise<SubjectHasher> {
    const value = await secrets.getOrCreate('subject-hash-key', () => randomBytes(32).toString('base64'));
    return new SubjectHasher(Buffer.from(value, 'base64'));
  }

  hash(instanceId: string, subject: Subject): string {
    return createHmac('sha256', this.key).update(`${instanceId}\u0000${subject.kind}\u0000${subject.value}`).digest('hex');
  }
}

import type { RedactionRepository } from '../../store/store.js';
import type { AuditRecorder } from '../audit/audit-trail.js';
import { isPiiKind, PII_KINDS, type PiiKind, type RedactionConfig } from '../../model/redaction.js';
import { PiiDetectors } from './pii-detectors.js';

/**
 * On unless an admin says otherwise: the kinds whose detectors almost never fire on anything else (check digits, a
 * fixed shape, an "@" and a domain). Phone numbers and IP addresses are opt-in: their shapes overlap order numbers,
 * version strings and the like, and redacting those would damage the logs operators read.
 */
export const DEFAULT_REDACTION: readonly PiiKind[] = ['email', 'card', 'iban', 'ssn'];

const TTL_MS = 5000;

/** Per-instance redaction settings, cached briefly: they are read for every ingested message and event. */
export class RedactionSettings {
  private readonly cache = new Map<string, { value: RedactionConfig; detectors: PiiDetectors; until: number }>();

  constructor(private readonly repo: RedactionRepository, private readonly audit: AuditRecorder) {}

  async get(instanceId: string): Promise<RedactionConfig> {
    return (await this.entry(instanceId)).value;
  }

  /** The detectors ingested text of this instance goes through. */
  async detectorsOf(instanceId: string): Promise<PiiDetectors> {
    return (await this.entry(instanceId)).detectors;
  }

  async set(instanceId: string, detectors: readonly PiiKind[], actor: string): Promise<RedactionConfig> {
    const ordered = PII_KINDS.filter((k) => detectors.includes(k));
    await this.repo.set(instanceId, ordered, Date.now());
    this.cache.delete(instanceId);
    await this.audit.record({ instanceId, actor, action: 'redaction.update', target: instanceId, details: { detectors: ordered.join(',') } });
    return { detectors: ordered, isDefault: false };
  }

  private async entry(instanceId: string) {
    const cached = this.cache.get(instanceId);
    if (cached && cached.until > Date.now()) return cached;
    const stored = await this.repo.get(instanceId);
    const value: RedactionConfig = stored === undefined
      ? { detectors: [...DEFAULT_REDACTION], isDefault: true }
      : { detectors: stored.filter(isPiiKind), isDefault: false };
    const entry = { value, detectors: PiiDetectors.of(value.detectors), until: Date.now() + TTL_MS };
    this.cache.set(instanceId, entry);
    return entry;
  }
}

import { PII_KINDS, type RedactionConfig } from '../../model/redaction.js';

/** Every detector with whether it redacts the instance's ingested text. */
export function redactionJson(c: RedactionConfig) {
  return { detectors: Object.fromEntries(PII_KINDS.map((k) => [k, c.detectors.includes(k)])), is_default: c.isDefault };
}

/** The kinds of personal data the PII detectors (core/privacy) find in free text, and which of them an instance redacts. */
export const PII_KINDS = ['email', 'phone', 'card', 'iban', 'ssn', 'ip'] as const;
export type PiiKind = (typeof PII_KINDS)[number];

export const isPiiKind = (k: string): k is PiiKind => (PII_KINDS as readonly string[]).includes(k);

export interface RedactionConfig {
  detectors: PiiKind[];
  /** True while the instance has never set its own list. */
  isDefault: boolean;
}

import { PII_KINDS, type PiiKind } from '../../model/redaction.js';
import { PII_TOKENS, PiiDetectors, replaceMatches } from './pii-detectors.js';

/**
 * Finds personal data in a workspace's training data before or after it is uploaded. Watson asks users not to put
 * personal (health) information in intents, entities and user examples; this says where it is. A finding names the
 * place and the kind and shows the text with every detected value masked, never the value itself.
 */

export type PiiLocation =
  | { section: 'intents'; intent: string; example: number }
  | { section: 'counterexamples'; example: number }
  | { section: 'entities'; entity: string; value: number; synonym?: number }
  | { section: 'dialog_nodes'; dialog_node: string; field: string };

export interface PiiFinding {
  location: PiiLocation;
  kind: PiiKind;
  /** The surrounding text with every detected value replaced by its token. */
  excerpt: string;
}

export interface PiiReport {
  /** Findings per kind, over the whole workspace. */
  counts: Record<PiiKind, number>;
  total: number;
  /** The first MAX_FINDINGS findings, in workspace order. */
  findings: PiiFinding[];
  truncated: boolean;
}

const MAX_FINDINGS = 1000;
const EXCERPT_CONTEXT = 40;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function scanWorkspace(workspace: Json): PiiReport {
  const detectors = PiiDetectors.all();
  const report: PiiReport = { counts: Object.fromEntries(PII_KINDS.map((k) => [k, 0])) as Record<PiiKind, number>, total: 0, findings: [], truncated: false };

  const check = (text: unknown, location: PiiLocation) => {
    if (typeof text !== 'string') return;
    const matches = detectors.find(text);
    if (matches.length === 0) return;
    const masked = replaceMatches(text, matches, (m) => PII_TOKENS[m.kind]);
    // Where each token landed in the masked text, so each finding's excerpt is centred on its own token.
    let shift = 0;
    const starts = matches.map((m) => {
      const at = m.start + shift;
      shift += PII_TOKENS[m.kind].length - (m.end - m.start);
      return at;
    });
    matches.forEach((m, i) => {
      report.counts[m.kind]++;
      report.total++;
      if (report.findings.length >= MAX_FINDINGS) {
        report.truncated = true;
        return;
      }
      report.findings.push({ location, kind: m.kind, excerpt: excerpt(masked, starts[i]!, starts[i]! + PII_TOKENS[m.kind].length) });
    });
  };

  for (const intent of list(workspace.intents)) {
    if (!isObject(intent)) continue;
    list(intent.examples).forEach((ex, example) => check(isObject(ex) ? ex.text : undefined, { section: 'intents', intent: String(intent.intent), example }));
  }
  list(workspace.counterexamples).forEach((ex, example) => check(isObject(ex) ? ex.text : undefined, { section: 'counterexamples', example }));
  for (const entity of list(workspace.entities)) {
    if (!isObject(entity)) continue;
    list(entity.values).forEach((v, value) => {
      if (!isObject(v)) return;
      const at = { section: 'entities' as const, entity: String(entity.entity), value };
      check(v.value, at);
      list(v.synonyms).forEach((s, synonym) => check(s, { ...at, synonym }));
    });
  }
  for (const node of list(workspace.dialog_nodes)) {
    if (!isObject(node)) continue;
    walkStrings(node.output, 'output', (text, field) => check(text, { section: 'dialog_nodes', dialog_node: String(node.dialog_node), field }));
  }
  return report;
}

function walkStrings(value: unknown, path: string, visit: (text: string, path: string) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, `${path}[${i}]`, visit));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) walkStrings(v, `${path}.${k}`, visit);
}

function excerpt(masked: string, start: number, end: number): string {
  const from = Math.max(0, start - EXCERPT_CONTEXT);
  const to = Math.min(masked.length, end + EXCERPT_CONTEXT);
  return `${from > 0 ? '…' : ''}${masked.slice(from, to)}${to < masked.length ? '…' : ''}`;
}

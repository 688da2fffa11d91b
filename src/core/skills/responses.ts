// A node's text responses (legacy `output.text` or `output.generic` text items) and their selection policies.
import type { RuntimeEntity } from './runtime-entity.js';
import { compileTemplate, type Template } from './templates.js';

type Policy = 'sequential' | 'random' | 'multiline';

export interface TextResponse {
  readonly values: readonly Template[];
  readonly policy: Policy;
  readonly delimiter: string;
}

/** What a response needs from the conversation to pick a value reproducibly. */
export interface Selection {
  readonly variables: Readonly<Record<string, unknown>>;
  /** Entities detected this turn, for `@entity` references. */
  readonly entities: readonly RuntimeEntity[];
  /** The index each response showed last time this node fired (Watson's `_node_output_map` entry). */
  readonly previous: readonly unknown[] | undefined;
  /** Seeds 'random' so that replaying a conversation gives the same answers. */
  readonly seed: number;
}

export function compileResponses(output: Record<string, unknown> | undefined): TextResponse[] {
  if (output === undefined) return [];
  const generic = Array.isArray(output.generic) ? output.generic.filter(isTextItem) : [];
  // Current workspaces hold responses in `generic`, legacy ones in `text`; a node with both counts as current.
  if (generic.length > 0) {
    return generic.map((item) => response(item.values.map((v) => (isRecord(v) && typeof v.text === 'string' ? v.text : '')), item));
  }
  const text = output.text;
  if (typeof text === 'string') return [response([text], {})];
  if (Array.isArray(text)) return [response(text.filter((t) => typeof t === 'string'), {})];
  if (isRecord(text) && Array.isArray(text.values)) return [response(text.values.filter((t) => typeof t === 'string'), text)];
  return [];
}

/** Renders every response; returns the texts and the indices to remember for next time. */
export function render(responses: readonly TextResponse[], selection: Selection): { texts: string[]; shown: number[] } {
  const texts: string[] = [];
  const shown = responses.map((r, i) => {
    if (r.values.length === 0) return 0;
    if (r.policy === 'multiline') {
      texts.push(r.values.map((v) => v(selection.variables, selection.entities)).join(r.delimiter));
      return 0;
    }
    const index = pick(r, sanitize(selection.previous?.[i]), selection.seed + i);
    texts.push(r.values[index]!(selection.variables, selection.entities));
    return index;
  });
  return { texts, shown };
}

function pick(r: TextResponse, previous: number | undefined, seed: number): number {
  const n = r.values.length;
  if (r.policy === 'sequential') return previous === undefined ? 0 : (previous + 1) % n;
  if (n === 1) return 0;
  // Random, but never the same variation twice in a row, as Watson does.
  if (previous === undefined || previous >= n) return randomBelow(n, seed);
  const other = randomBelow(n - 1, seed);
  return other >= previous ? other + 1 : other;
}

// The map comes back from the client on v1, so it may hold anything.
function sanitize(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** A small integer hash (xorshift-multiply) of the seed: uniform enough to choose among a few variations. */
function randomBelow(n: number, seed: number): number {
  let x = seed | 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  x ^= x >>> 16;
  return (x >>> 0) % n;
}

function response(values: string[], options: Record<string, unknown>): TextResponse {
  const policy = options.selection_policy;
  return {
    values: values.map(compileTemplate),
    policy: policy === 'random' || policy === 'multiline' ? policy : 'sequential',
    delimiter: typeof options.delimiter === 'string' ? options.delimiter : '\n',
  };
}

function isTextItem(item: unknown): item is Record<string, unknown> & { values: unknown[] } {
  return isRecord(item) && item.response_type === 'text' && Array.isArray(item.values);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

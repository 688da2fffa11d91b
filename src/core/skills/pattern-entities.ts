// Entity values of type 'patterns': user-supplied regular expressions, compiled once.
import type { RuntimeEntity } from './runtime-entity.js';

// User regexes may backtrack badly; bounding the input bounds the damage.
export const MAX_SCANNED_LENGTH = 2048;

interface CompiledPattern {
  readonly entity: string;
  readonly value: string;
  readonly regex: RegExp;
  readonly groupCount: number;
}

export class PatternSet {
  private readonly patterns: CompiledPattern[] = [];

  /** Returns an error message instead of throwing: one bad pattern must not disable the workspace. */
  add(entity: string, value: string, source: string): string | undefined {
    const compiled = compile(source);
    if (typeof compiled === 'string') return `Invalid pattern /${source}/ for @${entity}:${value} ignored: ${compiled}`;
    this.patterns.push({ entity, value, ...compiled });
    return undefined;
  }

  findAll(text: string, out: RuntimeEntity[]): void {
    const scanned = text.length > MAX_SCANNED_LENGTH ? text.slice(0, MAX_SCANNED_LENGTH) : text;
    for (const pattern of this.patterns) findMatches(pattern, scanned, out);
  }
}

// Watson patterns are Java regexes: try Unicode mode first (for \p{L}), then legacy mode, which
// accepts escapes such as `\-` outside classes that Unicode mode rejects.
function compile(source: string): { regex: RegExp; groupCount: number } | string {
  let error = '';
  for (const mode of ['u', ''] as const) {
    try {
      new RegExp(source, mode);
      // Once the source is known valid, an alternative matching '' reveals how many capture groups it has.
      const groupCount = new RegExp(`(?:${source})|`, mode).exec('')!.length - 1;
      // Match indices cost time on every match, so only patterns that report groups ask for them.
      return { regex: new RegExp(source, `g${mode}${groupCount > 0 ? 'd' : ''}`), groupCount };
    } catch (e) {
      error ||= (e as Error).message;
    }
  }
  return error;
}

function findMatches(pattern: CompiledPattern, text: string, out: RuntimeEntity[]): void {
  const { regex } = pattern;
  regex.lastIndex = 0;
  for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
    const start = match.index;
    const end = start + match[0].length;
    if (end === start) {
      regex.lastIndex++;
      continue;
    }
    const found: RuntimeEntity = { entity: pattern.entity, location: [start, end], value: pattern.value, confidence: 1 };
    if (pattern.groupCount > 0) found.groups = groupsOf(match);
    out.push(found);
  }
}

function groupsOf(match: RegExpExecArray): { group: string; location: [number, number] }[] {
  const groups: { group: string; location: [number, number] }[] = [];
  match.indices?.forEach((span, i) => {
    if (span !== undefined) groups.push({ group: `group_${i}`, location: [span[0], span[1]] });
  });
  return groups;
}

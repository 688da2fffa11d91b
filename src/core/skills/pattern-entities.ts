// Entity values of type 'patterns': user-supplied regular expressions, compiled once and run on every message.
import { RE2JS } from 're2js';
import type { RuntimeEntity } from './runtime-entity.js';

/** Messages are scanned up to here: with a linear-time engine, the cost of a message is bounded by this per pattern. */
export const MAX_SCANNED_LENGTH = 2048;

interface CompiledPattern {
  readonly entity: string;
  readonly value: string;
  readonly regex: RE2JS;
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

/**
 * Watson patterns are Java regular expressions, written by whoever edits the workspace and run on every message. A
 * backtracking engine (JavaScript's) can take exponential time on a pattern such as `(a+)+$`, so they run on RE2
 * (re2js), whose time is linear in the text. RE2 reads Java's syntax (`\p{L}`, `(?i)`, `\-`, named groups) but not
 * backreferences or lookaround, which it cannot run in linear time: such a pattern is skipped with a warning.
 */
function compile(source: string): { regex: RE2JS } | string {
  try {
    return { regex: RE2JS.compile(source) };
  } catch (e) {
    return (e as Error).message;
  }
}

function findMatches(pattern: CompiledPattern, text: string, out: RuntimeEntity[]): void {
  const match = pattern.regex.matcher(text);
  const groupCount = match.groupCount();
  while (match.find()) {
    const [start, end] = [match.start(), match.end()];
    if (end === start) continue;
    const found: RuntimeEntity = { entity: pattern.entity, location: [start, end], value: pattern.value, confidence: 1 };
    if (groupCount > 0) found.groups = groupsOf(match, groupCount);
    out.push(found);
  }
}

/** The whole match as group_0, then each group that took part in it (locations in UTF-16 units, as JavaScript's). */
function groupsOf(match: ReturnType<RE2JS['matcher']>, groupCount: number): { group: string; location: [number, number] }[] {
  const groups: { group: string; location: [number, number] }[] = [];
  for (let i = 0; i <= groupCount; i++) {
    if (match.start(i) >= 0) groups.push({ group: `group_${i}`, location: [match.start(i), match.end(i)] });
  }
  return groups;
}

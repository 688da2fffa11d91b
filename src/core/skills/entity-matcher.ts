// Entity detection: workspace entities (synonyms and patterns) plus @sys-number.
import type { EntityDef } from '../workspaces/workspace-schema.js';
import { PatternSet } from './pattern-entities.js';
import type { RuntimeEntity } from './runtime-entity.js';
import { SynonymTrie } from './synonym-trie.js';
import { findNumbers } from './system-entities.js';

export interface EntityMatcher {
  /** Problems found while compiling, e.g. invalid patterns that were skipped. */
  readonly warnings: readonly string[];
  /** Mentions sorted by location. */
  match(text: string): RuntimeEntity[];
}

export function compileEntityMatcher(entities: readonly EntityDef[]): EntityMatcher {
  const trie = new SynonymTrie();
  const patterns = new PatternSet();
  const warnings: string[] = [];
  for (const { entity, values } of entities) {
    for (const value of values ?? []) {
      if (value.type === 'patterns') {
        for (const source of value.patterns ?? []) {
          const warning = patterns.add(entity, value.value, source);
          if (warning !== undefined) warnings.push(warning);
        }
      } else {
        for (const phrase of [value.value, ...(value.synonyms ?? [])]) trie.add(entity, value.value, phrase);
      }
    }
  }
  return {
    warnings,
    match(text) {
      const candidates: RuntimeEntity[] = [];
      trie.findAll(text, candidates);
      patterns.findAll(text, candidates);
      const found = resolveOverlaps(candidates);
      // System entities describe the text independently of user entities, so they may overlap them.
      findNumbers(text, found);
      return found.sort(byLocation);
    },
  };
}

/**
 * Longest mention wins, then the earliest. Mentions with exactly the same span all survive: "apple"
 * can be both @fruit and @company, and Watson reports both.
 */
function resolveOverlaps(candidates: RuntimeEntity[]): RuntimeEntity[] {
  if (candidates.length < 2) return candidates;
  candidates.sort((x, y) => length(y) - length(x) || x.location[0] - y.location[0]);
  const kept: RuntimeEntity[] = [];
  for (const c of candidates) {
    const conflicts = kept.some((k) => (sameSpan(k, c) ? k.entity === c.entity && k.value === c.value : overlaps(k, c)));
    if (!conflicts) kept.push(c);
  }
  return kept;
}

const length = (e: RuntimeEntity) => e.location[1] - e.location[0];
const sameSpan = (a: RuntimeEntity, b: RuntimeEntity) => a.location[0] === b.location[0] && a.location[1] === b.location[1];
const overlaps = (a: RuntimeEntity, b: RuntimeEntity) => a.location[0] < b.location[1] && b.location[0] < a.location[1];
// Same start: the enclosing mention first, so that a pattern precedes the @sys-number inside it.
const byLocation = (a: RuntimeEntity, b: RuntimeEntity) => a.location[0] - b.location[0] || b.location[1] - a.location[1];

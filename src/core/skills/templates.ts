// Output text and context strings may reference context variables as `$name` or `<? $name ?>`, and the value
// detected for an entity in this turn as `@name` (Watson's shorthand).
import type { RuntimeEntity } from './runtime-entity.js';

export type Template = (variables: Readonly<Record<string, unknown>>, entities?: readonly RuntimeEntity[]) => string;

// A name starts with a letter or '_' so that prices such as "$5" are left alone; entity names stop before '.', so a
// sentence may end right after one.
const REFERENCE = /<\?\s*\$([\p{L}_][\p{L}\p{N}_]*)\s*\?>|\$([\p{L}_][\p{L}\p{N}_]*)|@([\p{L}_][\p{L}\p{N}_-]*)/gu;

type Part = string | { kind: 'variable'; name: string; literal: string; explicit: boolean } | { kind: 'entity'; name: string; literal: string };

/** Splits `source` once so that rendering is a loop over parts, not a regex replace per turn. */
export function compileTemplate(source: string): Template {
  const parts: Part[] = [];
  let last = 0;
  for (const m of source.matchAll(REFERENCE)) {
    if (m.index > last) parts.push(source.slice(last, m.index));
    parts.push(m[3] !== undefined
      ? { kind: 'entity', name: m[3], literal: m[0] }
      : { kind: 'variable', name: (m[1] ?? m[2])!, literal: m[0], explicit: m[1] !== undefined });
    last = m.index + m[0].length;
  }
  if (parts.length === 0) return () => source;
  if (last < source.length) parts.push(source.slice(last));
  return (variables, entities = []) => {
    let out = '';
    for (const part of parts) {
      if (typeof part === 'string') out += part;
      // An entity not detected this turn, like an e-mail address's "@host", stays as written.
      else if (part.kind === 'entity') out += entities.find((e) => e.entity === part.name)?.value ?? part.literal;
      else out += renderVariable(part, variables);
    }
    return out;
  };
}

function renderVariable(part: { name: string; literal: string; explicit: boolean }, variables: Readonly<Record<string, unknown>>): string {
  const value = Object.hasOwn(variables, part.name) ? variables[part.name] : undefined;
  // An unset bare `$word` is more likely literal text than a reference; an explicit `<? ?>` renders empty.
  if (value === undefined) return part.explicit ? '' : part.literal;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

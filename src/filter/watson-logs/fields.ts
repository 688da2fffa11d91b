import type { ApiSurface, FieldId, FieldRef, Member, ValueType } from './ast.js';
import { editDistance } from './edit-distance.js';

type LogsVersion = 'v1' | 'v2';
type FieldKind = ValueType | 'intent_collection' | 'entity_collection';
type CollectionKind = Extract<FieldKind, `${string}_collection`>;

interface FieldSpec {
  readonly id: FieldId;
  readonly kind: FieldKind;
  readonly versions: readonly LogsVersion[];
}

const V1: readonly LogsVersion[] = ['v1'];
const V2: readonly LogsVersion[] = ['v2'];
const BOTH: readonly LogsVersion[] = ['v1', 'v2'];

// Maps, not object literals: names come from user input, and `constructor` must not resolve.
const MEMBER_TYPES: ReadonlyMap<CollectionKind, ReadonlyMap<Member, ValueType>> = new Map([
  ['intent_collection', new Map<Member, ValueType>([['intent', 'keyword'], ['confidence', 'number']])],
  [
    'entity_collection',
    // Entity values are what the user typed, so IBM offers fuzzy `:` on them like on input text.
    new Map<Member, ValueType>([['entity', 'keyword'], ['value', 'text'], ['confidence', 'number']]),
  ],
]);

const CATALOGUE: ReadonlyMap<string, FieldSpec> = new Map(
  (
    [
      ['customer_id', 'customer_id', 'keyword', BOTH],
      ['assistant_id', 'assistant_id', 'keyword', V2],
      ['request.context.system.assistant_id', 'assistant_id', 'keyword', V1],
      ['workspace_id', 'workspace_id', 'keyword', V1],
      ['skill_id', 'skill_id', 'keyword', V2],
      ['snapshot', 'snapshot', 'keyword', V2],
      ['session_id', 'session_id', 'keyword', BOTH],
      ['conversation_id', 'conversation_id', 'keyword', BOTH],
      ['response.context.conversation_id', 'conversation_id', 'keyword', BOTH],
      ['deployment', 'deployment', 'keyword', BOTH],
      ['request.context.metadata.deployment', 'deployment', 'keyword', V1],
      ['language', 'language', 'keyword', BOTH],
      ['request.context.global.system.user_id', 'user_id', 'keyword', V2],
      ['response.context.global.system.user_id', 'user_id', 'keyword', V2],
      ['request.context.metadata.user_id', 'user_id', 'keyword', V1],
      ['log_id', 'log_id', 'keyword', BOTH],
      ['response.top_intent', 'top_intent', 'keyword', V1],
      ['request.input.text', 'request_text', 'text', BOTH],
      ['response.input.text', 'response_input_text', 'text', V1],
      ['response.output.text', 'response_output_text', 'text', BOTH],
      ['request_timestamp', 'request_timestamp', 'timestamp', BOTH],
      ['response_timestamp', 'response_timestamp', 'timestamp', BOTH],
      ['meta.message.entities_count', 'entities_count', 'number', V1],
      ['response.intents', 'response_intents', 'intent_collection', V1],
      ['response.output.intents', 'response_intents', 'intent_collection', V2],
      ['request.input.intents', 'request_intents', 'intent_collection', V2],
      ['response.entities', 'response_entities', 'entity_collection', V1],
      ['response.output.entities', 'response_entities', 'entity_collection', V2],
    ] as const
  ).map(([name, id, kind, versions]) => [name, { id, kind, versions }]),
);

// IBM: wildcards and approximate matching are not valid on log_id.
const PATTERN_FREE_FIELDS: ReadonlySet<FieldId> = new Set(['log_id']);

/**
 * Resolves a location such as `customer_id` or `response.intents:intent` as accepted on `surface`;
 * undefined when the name is unknown, not offered on that surface, or a collection without a valid member.
 */
export function resolveField(name: string, surface: ApiSurface): FieldRef | undefined {
  const [path = '', member, ...extra] = name.split(':');
  const spec = CATALOGUE.get(path);
  if (spec === undefined || extra.length > 0 || !isOffered(spec, surface)) return undefined;
  if (!isCollection(spec.kind)) return member === undefined ? { id: spec.id, type: spec.kind, name } : undefined;
  const type = MEMBER_TYPES.get(spec.kind)?.get(member as Member);
  return type === undefined ? undefined : { id: spec.id, type, member: member as Member, name };
}

/** Whether `path` is a filterable location on some surface (a collection counts without its member). */
export function isKnownField(path: string): boolean {
  return CATALOGUE.has(path);
}

/** The members a collection location must name after `:`, or undefined when `path` is not a collection. */
export function collectionMembers(path: string): readonly Member[] | undefined {
  const kind = CATALOGUE.get(path)?.kind;
  return kind !== undefined && isCollection(kind) ? [...(MEMBER_TYPES.get(kind)?.keys() ?? [])] : undefined;
}

export function acceptsPatterns(id: FieldId): boolean {
  return !PATTERN_FREE_FIELDS.has(id);
}

/** The filterable locations on `surface`, closest to `near` first. */
export function suggestFields(near: string, surface: ApiSurface, count: number): string[] {
  const names = [...CATALOGUE].filter(([, spec]) => isOffered(spec, surface)).map(([name]) => name);
  // Field names are short; a long `near` is junk, and truncating it keeps the cost of a bad request small.
  const prefix = near.slice(0, 64);
  const distances = new Map(names.map((name) => [name, editDistance(prefix, name)]));
  return names.sort((a, b) => (distances.get(a) ?? 0) - (distances.get(b) ?? 0)).slice(0, count);
}

function isOffered(spec: FieldSpec, surface: ApiSurface): boolean {
  return surface === 'any' || spec.versions.includes(surface);
}

function isCollection(kind: FieldKind): kind is CollectionKind {
  return MEMBER_TYPES.has(kind as CollectionKind);
}

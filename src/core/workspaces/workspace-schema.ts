import { Type, type Static } from 'typebox';

// Watson Assistant v1 workspace JSON, as the ibm-watson SDK sends it to createWorkspace/updateWorkspace.
// Only the parts the skill runtime executes are typed tightly; the rest is kept verbatim so an export
// round-trips what the user uploaded.

const Name = (pattern: string, maxLength: number) => Type.String({ minLength: 1, maxLength, pattern });
// Watson: intent and entity names may hold letters, digits, '_', '-', '.' and cannot start with "sys-".
export const IntentName = Name('^(?!sys-)[\\p{L}\\p{N}_.-]+$', 128);
export const EntityName = Name('^(?!sys-)[\\p{L}\\p{N}_.-]+$', 64);
const NoControl = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '^[^\\r\\n\\t]+$' });

const Json = Type.Record(Type.String(), Type.Unknown());

export const ExampleSchema = Type.Object({
  text: NoControl(1024),
  mentions: Type.Optional(Type.Array(Type.Unknown())),
});

export const IntentSchema = Type.Object({
  intent: IntentName,
  description: Type.Optional(Type.String({ maxLength: 128 })),
  examples: Type.Optional(Type.Array(ExampleSchema, { maxItems: 25000 })),
});

export const ValueSchema = Type.Object({
  value: NoControl(64),
  metadata: Type.Optional(Json),
  type: Type.Optional(Type.Union([Type.Literal('synonyms'), Type.Literal('patterns')])),
  synonyms: Type.Optional(Type.Array(NoControl(64), { maxItems: 500 })),
  patterns: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 512 }), { maxItems: 5 })),
});

export const EntitySchema = Type.Object({
  entity: EntityName,
  description: Type.Optional(Type.String({ maxLength: 128 })),
  metadata: Type.Optional(Json),
  fuzzy_match: Type.Optional(Type.Boolean()),
  values: Type.Optional(Type.Array(ValueSchema, { maxItems: 100000 })),
});

export const TextValuesSchema = Type.Object({
  values: Type.Optional(Type.Array(Type.Object({ text: Type.Optional(Type.String()) }))),
  selection_policy: Type.Optional(Type.String()),
  delimiter: Type.Optional(Type.String()),
});

export const DialogNodeSchema = Type.Object({
  dialog_node: Type.String({ minLength: 1, maxLength: 1024, pattern: '^[^\\r\\n\\t]+$' }),
  description: Type.Optional(Type.String()),
  conditions: Type.Optional(Type.String({ maxLength: 2048 })),
  parent: Type.Optional(Type.String()),
  previous_sibling: Type.Optional(Type.String()),
  output: Type.Optional(Json),
  context: Type.Optional(Json),
  metadata: Type.Optional(Json),
  next_step: Type.Optional(Json),
  title: Type.Optional(Type.String()),
  type: Type.Optional(Type.String()),
  disabled: Type.Optional(Type.Boolean()),
}, { additionalProperties: true });

export const CounterexampleSchema = Type.Object({ text: NoControl(1024) });

export const WorkspaceBodySchema = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 64, pattern: '^[^\\r\\n\\t]*$' })),
  description: Type.Optional(Type.String({ maxLength: 128, pattern: '^[^\\r\\n\\t]*$' })),
  language: Type.Optional(Type.String({ minLength: 2, maxLength: 16, pattern: '^[a-zA-Z]{2}(-[a-zA-Z]{2,4})?$' })),
  metadata: Type.Optional(Json),
  learning_opt_out: Type.Optional(Type.Boolean()),
  system_settings: Type.Optional(Json),
  webhooks: Type.Optional(Type.Array(Json)),
  intents: Type.Optional(Type.Array(IntentSchema, { maxItems: 2000 })),
  entities: Type.Optional(Type.Array(EntitySchema, { maxItems: 1000 })),
  dialog_nodes: Type.Optional(Type.Array(DialogNodeSchema, { maxItems: 100000 })),
  counterexamples: Type.Optional(Type.Array(CounterexampleSchema, { maxItems: 25000 })),
});

export type WorkspaceBody = Static<typeof WorkspaceBodySchema>;
export type IntentDef = Static<typeof IntentSchema>;
export type EntityDef = Static<typeof EntitySchema>;
export type DialogNodeDef = Static<typeof DialogNodeSchema>;

/** The content a skill runs on: what the runtime compiles. */
export interface WorkspaceContent {
  language: string;
  intents: IntentDef[];
  entities: EntityDef[];
  dialog_nodes: DialogNodeDef[];
  counterexamples: { text: string }[];
}

import { Type, type Static } from 'typebox';

// Request bodies of Watson's message endpoints, as the ibm-watson SDK sends them. Unknown properties are kept
// (additionalProperties) because Watson clients send many optional fields and the log must hold the request as sent.

/** Watson rejects input text over 2,048 characters. */
export const MAX_INPUT_TEXT = 2048;
const Obj = Type.Record(Type.String(), Type.Unknown());
const UserId = Type.String({ minLength: 1, maxLength: 256, pattern: '^[^\\r\\n\\t]+$' });

const InputText = Type.String({ maxLength: MAX_INPUT_TEXT });

export const V1MessageBodySchema = Type.Object({
  input: Type.Optional(Type.Object({ text: Type.Optional(InputText) }, { additionalProperties: true })),
  context: Type.Optional(Type.Object({
    conversation_id: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    system: Type.Optional(Obj),
    metadata: Type.Optional(Type.Object({
      user_id: Type.Optional(UserId),
      deployment: Type.Optional(Type.String({ maxLength: 256 })),
    }, { additionalProperties: true })),
  }, { additionalProperties: true })),
  alternate_intents: Type.Optional(Type.Boolean()),
  user_id: Type.Optional(UserId),
  intents: Type.Optional(Type.Array(Obj)),
  entities: Type.Optional(Type.Array(Obj)),
  output: Type.Optional(Obj),
}, { additionalProperties: true });
export type V1MessageBody = Static<typeof V1MessageBodySchema>;

const V2Options = Type.Object({
  restart: Type.Optional(Type.Boolean()),
  alternate_intents: Type.Optional(Type.Boolean()),
  return_context: Type.Optional(Type.Boolean()),
  debug: Type.Optional(Type.Boolean()),
}, { additionalProperties: true });

const V2Context = Type.Object({
  global: Type.Optional(Type.Object({
    system: Type.Optional(Type.Object({ user_id: Type.Optional(UserId) }, { additionalProperties: true })),
    session_id: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  }, { additionalProperties: true })),
  skills: Type.Optional(Type.Record(Type.String(), Type.Object({
    user_defined: Type.Optional(Obj),
    system: Type.Optional(Obj),
  }, { additionalProperties: true }))),
}, { additionalProperties: true });

export const V2MessageBodySchema = Type.Object({
  input: Type.Optional(Type.Object({
    message_type: Type.Optional(Type.String()),
    text: Type.Optional(InputText),
    options: Type.Optional(V2Options),
  }, { additionalProperties: true })),
  context: Type.Optional(V2Context),
  user_id: Type.Optional(UserId),
}, { additionalProperties: true });
export type V2MessageBody = Static<typeof V2MessageBodySchema>;

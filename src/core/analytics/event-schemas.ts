import { Type, type Static } from 'typebox';

// Coveo UA Write API v15 bodies, as coveo.analytics 2.30 sends them (reference: ../shared/reference/coveo-ua-api.md
// §2). Required fields follow the v15 specification except `language`, which the client drops when a page has no
// `lang` attribute. Unknown properties are kept: clients send many optional fields and exports show them.

const Str = (max = 1024) => Type.String({ maxLength: max });
const Obj = Type.Record(Type.String(), Type.Unknown());

const Common = {
  language: Type.Optional(Str(64)),
  userAgent: Type.Optional(Str(2048)),
  customData: Type.Optional(Obj),
  anonymous: Type.Optional(Type.Boolean()),
  username: Type.Optional(Str(256)),
  userDisplayName: Type.Optional(Type.Unknown()),
  clientId: Type.Optional(Str(128)),
  originContext: Type.Optional(Str(256)),
  originLevel1: Type.Optional(Str(256)),
  originLevel2: Type.Optional(Str(256)),
  originLevel3: Type.Optional(Str(2048)),
  splitTestRunName: Type.Optional(Str(256)),
  splitTestRunVersion: Type.Optional(Str(256)),
  outcome: Type.Optional(Type.Integer({ minimum: -5, maximum: 5 })),
  trackingId: Type.Optional(Str(256)),
};

export const SearchEventSchema = Type.Object({
  ...Common,
  searchQueryUid: Str(256),
  queryText: Str(8192),
  actionCause: Str(256),
  responseTime: Type.Number({ minimum: 0 }),
  advancedQuery: Type.Optional(Str(8192)),
  numberOfResults: Type.Optional(Type.Integer({ minimum: 0 })),
  contextual: Type.Optional(Type.Boolean()),
  queryPipeline: Type.Optional(Str(256)),
  userGroups: Type.Optional(Type.Array(Str(256), { maxItems: 100 })),
  facetState: Type.Optional(Type.Array(Obj, { maxItems: 200 })),
}, { additionalProperties: true });

export const ClickEventSchema = Type.Object({
  ...Common,
  searchQueryUid: Str(256),
  documentPosition: Type.Integer({ minimum: 0 }),
  actionCause: Str(256),
  sourceName: Str(1024),
  documentUri: Type.Optional(Str(4096)),
  documentUriHash: Type.Optional(Str(1024)),
  documentTitle: Type.Optional(Str(4096)),
  documentUrl: Type.Optional(Str(4096)),
}, { additionalProperties: true });

export const CustomEventSchema = Type.Object({
  ...Common,
  eventType: Str(256),
  eventValue: Str(1024),
  lastSearchQueryUid: Type.Optional(Str(256)),
}, { additionalProperties: true });

export const ViewEventSchema = Type.Object({
  ...Common,
  location: Str(4096),
  referrer: Type.Optional(Str(4096)),
  title: Type.Optional(Str(4096)),
  contentIdKey: Type.Optional(Str(256)),
  contentIdValue: Type.Optional(Str(1024)),
  contentType: Type.Optional(Str(256)),
}, { additionalProperties: true });

/** The GA-style measurement-protocol hit: short keys (t, cid, uid, dl, …), all optional. */
export const CollectEventSchema = Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 500 });

export const SearchBatchSchema = Type.Array(SearchEventSchema, { minItems: 1, maxItems: 100 });

/** Event Protocol: every event carries `meta`; the rest is the payload of its type. */
export const ProtocolEventSchema = Type.Object({
  meta: Type.Object({
    type: Type.String({ minLength: 1, maxLength: 128 }),
    ts: Type.Number(),
    config: Type.Optional(Type.Union([Obj, Type.Null()])),
    source: Type.Optional(Type.Array(Str(256))),
    clientId: Type.Optional(Type.Union([Str(128), Type.Null()])),
    userAgent: Type.Optional(Type.Union([Str(2048), Type.Null()])),
    referrer: Type.Optional(Type.Union([Str(4096), Type.Null()])),
    location: Type.Optional(Type.Union([Str(4096), Type.Null()])),
  }, { additionalProperties: true }),
}, { additionalProperties: true });
export const ProtocolBatchSchema = Type.Array(Type.Unknown(), { minItems: 1, maxItems: 100 });

export type EventBody = Static<typeof SearchEventSchema> | Static<typeof ClickEventSchema> | Static<typeof CustomEventSchema>
  | Static<typeof ViewEventSchema> | Static<typeof CollectEventSchema>;
export type ProtocolEvent = Static<typeof ProtocolEventSchema>;

export const EVENT_TYPES = ['search', 'click', 'custom', 'view', 'collect'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventRecord } from '../../model/events.js';
import type { IngestWrite } from '../../model/ingest.js';
import type { LogRecord } from '../../model/logs.js';
import type { RedactionRepository } from '../../store/store.js';
import { redactingCommit } from './ingest-redaction.js';
import { PiiDetectors } from './pii-detectors.js';
import { redactEvent, redactLog } from './record-redaction.js';
import { RedactionSettings } from './redaction-settings.js';

const d = PiiDetectors.of(['email', 'card', 'ssn']);
const SAID = 'my card is 4111 1111 1111 1111 and I am ada@example.com';

function log(patch: Partial<LogRecord> = {}): LogRecord {
  return {
    logId: 'l1', instanceId: 'i1', api: 'v1', assistantId: null, environmentId: null, workspaceId: 'w', sessionId: null,
    conversationId: 'c', userId: null, customerIds: [], deployment: null, language: 'en', snapshot: null, topIntent: 'pay',
    topConfidence: 0.9, entitiesCount: 1, inputText: SAID, learningOptOut: false, requestTs: 1, responseTs: 2,
    request: { input: { text: SAID }, context: { conversation_id: 'c' } },
    response: {
      input: { text: SAID },
      entities: [{ entity: 'sys-number', location: [11, 30], value: '4111111111111111', metadata: { numeric_value: 4111111111111111 } }],
      output: { text: ['You said 123-45-6789', 'ok'], generic: [{ response_type: 'text', text: 'You said 123-45-6789' }] },
      context: { conversation_id: 'c' },
    },
    ...patch,
  };
}

test('a v1 log: input, indexed text, output texts and entity values are redacted; the originals are untouched', () => {
  const original = log();
  const snapshot = structuredClone(original);
  const stored = redactLog(original, d);
  assert.deepEqual(original, snapshot, 'the reply is built from these objects');
  assert.equal(stored.inputText, 'my card is [CARD] and I am [EMAIL]');
  assert.deepEqual(stored.request, { input: { text: 'my card is [CARD] and I am [EMAIL]' }, context: { conversation_id: 'c' } });
  assert.deepEqual(stored.response, {
    input: { text: 'my card is [CARD] and I am [EMAIL]' },
    entities: [{ entity: 'sys-number', location: [11, 30], value: '[CARD]' }],
    output: { text: ['You said [SSN]', 'ok'], generic: [{ response_type: 'text', text: 'You said [SSN]' }] },
    context: { conversation_id: 'c' },
  });
  assert.equal(stored.response.context, original.response.context, 'unchanged parts are shared, not copied');
});

test('a v2 log: output.generic and output.entities are redacted', () => {
  const stored = redactLog(log({
    api: 'v2',
    response: { output: { generic: [{ response_type: 'text', text: 'mail ada@example.com' }], entities: [{ entity: 'email', value: 'ada@example.com' }] } },
  }), d);
  assert.deepEqual(stored.response, { output: { generic: [{ response_type: 'text', text: 'mail [EMAIL]' }], entities: [{ entity: 'email', value: '[EMAIL]' }] } });
});

test('a log without PII is returned as is', () => {
  const clean = log({ inputText: 'hello', request: { input: { text: 'hello' } }, response: { output: { text: ['hi'] } } });
  assert.equal(redactLog(clean, d), clean);
  const full = log();
  assert.equal(redactLog(full, PiiDetectors.of([])), full, 'no detector on: nothing to do');
});

function event(payload: Record<string, unknown>): EventRecord {
  return {
    eventId: 'e', instanceId: 'i1', type: 'search', userId: 'u', visitorId: 'v', visitId: 'vi', anonymous: false, searchUid: 's',
    originLevel1: 'hub', language: 'en', ipHash: null, receivedTs: 1, batchId: null, payload,
  };
}

test('events: query text, URLs, titles and customData strings are redacted; IDs stay', () => {
  const payload = {
    queryText: 'refund to ada@example.com', actionCause: 'searchboxSubmit', searchQueryUid: 'ada@example.com',
    location: 'https://shop.example/?mail=ada@example.com', customData: { note: 'ssn 123-45-6789', tags: ['x', '4111111111111111'], n: 3 },
    protocolMeta: { type: 'itemClick', referrer: 'https://x.example/?card=4111111111111111' },
  };
  const original = structuredClone(payload);
  const stored = redactEvent(event(payload), d);
  assert.deepEqual(payload, original);
  assert.deepEqual(stored.payload, {
    queryText: 'refund to [EMAIL]', actionCause: 'searchboxSubmit', searchQueryUid: 'ada@example.com',
    location: 'https://shop.example/?mail=[EMAIL]', customData: { note: 'ssn [SSN]', tags: ['x', '[CARD]'], n: 3 },
    protocolMeta: { type: 'itemClick', referrer: 'https://x.example/?card=[CARD]' },
  });
});

test('the commit wrapper applies each instance\'s own settings', async () => {
  const stored = new Map<string, string[]>([['strict', ['email']], ['off', []]]);
  const repo: RedactionRepository = { get: async (i) => stored.get(i), set: async () => {} };
  let committed: IngestWrite[] = [];
  const noAudit = { record: async () => { throw new Error('reading settings is not audited'); } };
  const commit = redactingCommit(new RedactionSettings(repo, noAudit), async (w) => { committed = w; });
  const text = 'ada@example.com 4111111111111111';
  await commit([
    { log: log({ instanceId: 'strict', inputText: text }) },
    { log: log({ instanceId: 'off', inputText: text }) },
    { log: log({ instanceId: 'defaults', inputText: text }) },
    { event: event({ queryText: text }) },
  ]);
  assert.deepEqual(committed.map((w) => ('log' in w ? w.log.inputText : w.event.payload.queryText)), [
    '[EMAIL] 4111111111111111', text, '[EMAIL] [CARD]', '[EMAIL] [CARD]',
  ]);
});

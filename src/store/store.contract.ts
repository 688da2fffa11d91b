import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newId } from '../model/ids.js';
import { parseFilter } from '../filter/watson-logs/index.js';
import type { DeletionJobRecord } from '../model/deletion-jobs.js';
import type { EventRecord } from '../model/events.js';
import type { ExportRecord } from '../model/exports.js';
import type { LogRecord } from '../model/logs.js';
import type { SessionRecord } from '../model/sessions.js';
import type { Subject } from '../model/subjects.js';
import { AUDIT_GENESIS_HASH, type AuditEntryRecord, type AuditHead } from '../model/audit.js';
import { JobLeaseLost, type Store } from './store.js';

/**
 * The behaviour every storage engine must show. Each engine's test file calls this with a factory for a fresh,
 * empty store; the suite never looks at engine internals.
 */
export function storeContract(engine: string, open: () => Promise<Store>): void {
  describe(`store contract: ${engine}`, () => {
    let store: Store;
    before(async () => { store = await open(); });
    after(async () => { await store.close(); });

    test('keys: found by hash, listed per instance, revoked once', async () => {
      const key = { keyId: newId(), instanceId: 'i1', name: 'k', prefix: 'lethe_ab', secretHash: 'h1', privileges: ['message' as const], createdAt: 1, revokedAt: null };
      await store.keys.insert(key);
      await store.keys.insert({ ...key, keyId: newId(), instanceId: 'i2', secretHash: 'h2' });
      assert.deepEqual(await store.keys.findBySecretHash('h1'), key);
      assert.equal(await store.keys.findBySecretHash('nope'), undefined);
      assert.deepEqual((await store.keys.list('i1')).map((k) => k.instanceId), ['i1']);
      assert.equal(await store.keys.revoke(key.keyId, 'i2', 5), false, 'a key is revoked only within its instance');
      assert.equal(await store.keys.revoke(key.keyId, 'i1', 5), true);
      assert.equal(await store.keys.revoke(key.keyId, 'i1', 6), false, 'revoking twice reports nothing to do');
      assert.equal((await store.keys.findBySecretHash('h1'))?.revokedAt, 5);
      assert.equal(await store.keys.countActive(), 1);
    });

    test('workspaces and assistants: CRUD, revision, paging and environment lookup, per instance', async () => {
      const ws = (name: string, updatedAt: number) => ({
        instanceId: 'i1', workspaceId: newId(), name, description: null, language: 'en', learningOptOut: false,
        content: { intents: [{ intent: 'x' }] }, createdAt: 1, updatedAt,
      });
      const [a, b, c] = [ws('beta', 10), ws('alpha', 30), ws('gamma', 20)];
      for (const w of [a, b, c]) await store.workspaces.insert(w);
      assert.deepEqual(await store.workspaces.get('i1', a.workspaceId), a);
      assert.equal(await store.workspaces.get('i2', a.workspaceId), undefined);
      assert.equal(await store.workspaces.revision('i1', a.workspaceId), 10);
      const byName = await store.workspaces.list('i1', { sort: 'name', descending: false, offset: 0, limit: 2 });
      assert.deepEqual(byName.items.map((w) => w.name), ['alpha', 'beta']);
      assert.equal(byName.total, 3);
      const byUpdated = await store.workspaces.list('i1', { sort: 'updated', descending: true, offset: 1, limit: 5 });
      assert.deepEqual(byUpdated.items.map((w) => w.name), ['gamma', 'beta']);
      assert.equal(await store.workspaces.update({ ...a, name: 'beta2', updatedAt: 40 }), true);
      assert.equal(await store.workspaces.revision('i1', a.workspaceId), 40);
      assert.equal(await store.workspaces.delete('i1', c.workspaceId), true);
      assert.equal(await store.workspaces.delete('i1', c.workspaceId), false);

      const asst = {
        instanceId: 'i1', assistantId: newId(), name: 'bot', description: null, language: 'en', workspaceId: a.workspaceId,
        draftEnvironmentId: newId(), liveEnvironmentId: newId(), createdAt: 1, updatedAt: 1,
      };
      await store.assistants.insert(asst);
      assert.deepEqual(await store.assistants.findByEnvironment('i1', asst.liveEnvironmentId), asst);
      assert.deepEqual(await store.assistants.findByEnvironment('i1', asst.assistantId), asst);
      assert.equal(await store.assistants.findByEnvironment('i2', asst.liveEnvironmentId), undefined);
      assert.equal(await store.assistants.update({ ...asst, workspaceId: null, updatedAt: 2 }), true);
      assert.equal((await store.assistants.get('i1', asst.assistantId))?.workspaceId, null);
    });

    test('sessions: stored per instance and purged when expired', async () => {
      const s: SessionRecord = { instanceId: 'i1', sessionId: newId(), assistantId: 'a', environmentId: 'a', context: { k: 1 }, createdAt: 1, lastActiveAt: 1, expiresAt: 100 };
      await store.sessions.insert(s);
      await store.sessions.insert({ ...s, sessionId: newId(), expiresAt: 10_000 });
      assert.deepEqual(await store.sessions.get('i1', s.sessionId), s);
      assert.equal(await store.sessions.get('i2', s.sessionId), undefined);
      assert.equal(await store.sessions.deleteExpired(500), 1);
      assert.equal(await store.sessions.get('i1', s.sessionId), undefined);
    });

    describe('logs', () => {
      const t0 = Date.parse('2024-03-01T00:00:00Z');
      const logs: LogRecord[] = [];
      function log(i: number, patch: Partial<LogRecord>): LogRecord {
        return {
          logId: newId(), instanceId: 'logs', api: 'v1', assistantId: null, environmentId: null, workspaceId: 'w1', sessionId: null,
          conversationId: `conv-${i}`, userId: null, customerIds: [], deployment: null, language: 'en', snapshot: null,
          topIntent: null, topConfidence: null, entitiesCount: 0, inputText: '', learningOptOut: false,
          requestTs: t0 + i * 3_600_000, responseTs: t0 + i * 3_600_000 + 5, request: {}, response: {}, ...patch,
        };
      }
      before(async () => {
        const text = (t: string) => ({ inputText: t, request: { input: { text: t } } });
        logs.push(
          log(0, { ...text('I want to place an order'), customerIds: ['alice'], userId: 'u-alice', topIntent: 'place_order', topConfidence: 0.9,
            response: { intents: [{ intent: 'place_order', confidence: 0.9 }], entities: [{ entity: 'beverage', value: 'soda' }], output: { text: ['Sure'] } }, entitiesCount: 1 }),
          log(1, { ...text('What is the status of my orders?'), customerIds: ['alice', 'bob'], topIntent: 'order_status', deployment: 'web',
            response: { intents: [{ intent: 'order_status', confidence: 0.8 }], output: { text: ['Checking'] } } }),
          log(2, { ...text('hello there'), customerIds: ['carol'], topIntent: 'hello', language: 'fr',
            response: { intents: [{ intent: 'hello', confidence: 0.7 }], output: { text: ['Bonjour'] } } }),
          log(3, { ...text('communications issue'), api: 'v2', workspaceId: 'w2', assistantId: 'asst', sessionId: 's1', topIntent: null,
            response: { output: { intents: [], entities: [{ entity: 'topic', value: 'network' }], generic: [{ response_type: 'text', text: 'Sorry' }] } } }),
          log(4, { ...text('goodbye'), instanceId: 'elsewhere', customerIds: ['alice'] }),
        );
        await store.ingest(logs.map((l) => ({ log: l })));
      });

      const ids = async (filter: string | null, scope = {}) => {
        const page = await store.logs.page({ instanceId: 'logs', filter: filter ? parseFilter(filter, 'any') : null, scope, descending: false, limit: 100, after: null });
        return page.logs.map((l) => Number(l.conversationId!.split('-')[1]));
      };

      test('append and read back exactly what was stored', async () => {
        const page = await store.logs.page({ instanceId: 'logs', filter: null, scope: {}, descending: false, limit: 1, after: null });
        const { seq, ...first } = page.logs[0]!;
        assert.deepEqual(first, logs[0]);
        assert.ok(seq > 0);
      });

      test('filters select what the Watson filter language says', async () => {
        const table: [string, number[]][] = [
          ['customer_id::alice', [0, 1]],
          ['customer_id::bob', [1]],
          ['customer_id::!alice', [2, 3]],
          ['customer_id:ALICE', [0, 1]],
          ['response.top_intent::place_order', [0]],
          ['response.top_intent::!place_order', [1, 2, 3]],
          ['request_timestamp>=2024-03-01T01:00:00Z', [1, 2, 3]],
          ['request_timestamp<2024-03-01T01:00:00Z', [0]],
          ['request_timestamp>=2024-03-01T01:00:00Z,request_timestamp<=2024-03-01T02:00:00.000Z', [1, 2]],
          ['request_timestamp::2024-03-01', [0, 1, 2, 3]],
          ['language::fr|deployment::web', [1, 2]],
          ['[customer_id::alice,response.top_intent::order_status]|language::fr', [1, 2]],
          ['request.input.text:order', [0, 1]],
          ['request.input.text:!order', [2, 3]],
          ['request.input.text:"place an order"', [0]],
          ['request.input.text:comm*s', [3]],
          ['request.input.text::hello there', [2]],
          ['response.intents:intent::(place_order|hello)', [0, 2]],
          ['response.intents:intent::!order_status', [0, 2, 3]],
          ['response.entities:entity::beverage', [0]],
          ['response.output.entities:value::network', [3]],
          ['response.output.text:bonjour', [2]],
          ['meta.message.entities_count>=1', [0]],
          ['request.context.metadata.user_id::u-alice', [0]],
          ['assistant_id::asst,session_id::s1', [3]],
          ['workspace_id::w2', [3]],
          ['request.input.text:ordering', [0, 1]],
          ['request.input.text:ordr~1', [0]],
          ['request.input.text:PLACE', [0]],
          ['response.output.text:sure', [0]],
          ['response.output.text::Sure', [0]],
          ['customer_id:ALI*', [0, 1]],
          ['customer_id::alicf~1', [0, 1]],
          ['customer_id::!ali*', [2, 3]],
        ];
        for (const [filter, expected] of table) assert.deepEqual(await ids(filter), expected, filter);
      });

      test('subjectPage: the logs linked to the subjects, each ID compared as a value whatever it holds', async () => {
        // Each ID is both syntax of a filter language and another person's ID with a character more or less.
        const hostile = ['|language::!x\\', 'o"brien', 'a*', 'x~2', '(a|b)', 'nul\u0000byte', '\\\\', 'a==b', '=@"', '%', '_', 'ALICE', ' alice'];
        const own = hostile.map((id, i) => log(100 + i, { instanceId: 'subjects', customerIds: [id], userId: i % 2 ? id : `other-${i}` }));
        // Decoys: the same ID in another instance, and IDs a pattern or a case-insensitive comparison would confuse.
        const decoys = [...hostile.map((id, i) => log(200 + i, { instanceId: 'subjects-elsewhere', customerIds: [id] })),
          log(300, { instanceId: 'subjects', customerIds: ['abc', 'x~1', 'xx2', 'a', 'b', 'alice'] }), log(301, { instanceId: 'subjects', userId: 'o"brie' })];
        await store.ingest([...own, ...decoys].map((l) => ({ log: l })));
        const conversations = async (subjects: Subject[], limit = 100) => {
          const found: string[] = [];
          let after: { seq: number } | null = null;
          do {
            const page = await store.logs.subjectPage({ instanceId: 'subjects', subjects, limit, after });
            found.push(...page.logs.map((l) => l.conversationId!));
            after = page.next;
          } while (after);
          return found;
        };
        for (const [i, id] of hostile.entries()) {
          const subjects: Subject[] = [{ kind: 'customer_id', value: id }, { kind: 'user_id', value: id }, { kind: 'visitor_id', value: id }];
          assert.deepEqual(await conversations(subjects), [`conv-${100 + i}`], JSON.stringify(id));
        }
        assert.deepEqual(await conversations([{ kind: 'user_id', value: 'other-2' }, { kind: 'customer_id', value: 'a*' }]), ['conv-102'], 'linked twice, listed once');
        const all = hostile.map((value) => ({ kind: 'customer_id' as const, value }));
        assert.deepEqual(await conversations(all, 4), own.map((l) => l.conversationId), 'paged in request-time order');
        assert.deepEqual(await conversations([{ kind: 'visitor_id', value: 'a*' }]), [], 'no log is linked to a visitor ID');
      });

      test('values reach SQL only as parameters', async () => {
        for (const evil of ["x' OR '1'='1", 'x"; DROP TABLE logs; --', '%', '_', '\\']) {
          assert.deepEqual(await ids(`customer_id::"${evil.replace(/["\\]/g, (c) => `\\${c}`)}"`), [], evil);
          assert.deepEqual(await ids(`request.input.text:"${evil.replace(/["\\]/g, (c) => `\\${c}`)}"`), [], evil);
        }
        assert.equal((await ids(null)).length, 4, 'the table is intact');
      });

      test('scope, sort and cursor pagination cover every row once, in both directions', async () => {
        assert.deepEqual(await ids(null, { workspaceId: 'w1' }), [0, 1, 2]);
        assert.deepEqual(await ids(null, { assistantId: 'asst' }), [3]);
        for (const descending of [false, true]) {
          const seen: number[] = [];
          let after = null;
          do {
            const page = await store.logs.page({ instanceId: 'logs', filter: null, scope: {}, descending, limit: 3, after });
            seen.push(...page.logs.map((l) => Number(l.conversationId!.split('-')[1])));
            after = page.next;
          } while (after);
          assert.deepEqual(seen, descending ? [3, 2, 1, 0] : [0, 1, 2, 3]);
        }
      });

      test('holdings count distinct records per table, before the cutoff, within the instance', async () => {
        const alice = { logs: [{ kind: 'customer_id' as const, value: 'alice' }, { kind: 'user_id' as const, value: 'u-alice' }], events: [] };
        assert.deepEqual(await store.subjects.holdings('logs', alice, t0 + 10 * 3_600_000), { logs: 2, events: 0, exports: 0 },
          'log 0 is linked twice (customer and user) and counts once');
        assert.equal((await store.subjects.holdings('logs', alice, t0 + 30 * 60_000)).logs, 1, 'only what was received before the cutoff');
        assert.equal((await store.subjects.holdings('elsewhere', alice, t0 + 10 * 3_600_000)).logs, 1);
        assert.equal((await store.subjects.holdings('logs', { logs: [], events: [] }, t0 + 10 * 3_600_000)).logs, 0);
      });

      test('subject deletion: chunked, before the cutoff only, counted on the job, refused without the lease', async () => {
        const job = jobRecord('logs', 'alice', Date.now());
        await store.jobs.insert(job);
        const claimed = await store.jobs.claim('worker-1', Date.now(), 60_000);
        assert.equal(claimed?.jobId, job.jobId);
        await assert.rejects(
          store.logs.deleteSubjectChunk({ jobId: job.jobId, owner: 'impostor' }, 'logs', { kind: 'customer_id', value: 'alice' }, t0 + 10 * 3_600_000, 1),
          JobLeaseLost,
        );
        assert.equal((await store.subjects.holdings('logs', { logs: [{ kind: 'customer_id', value: 'alice' }], events: [] }, t0 + 10 * 3_600_000)).logs, 2, 'a refused chunk deleted nothing');
        const cut = t0 + 30 * 60_000; // only log 0 was received before this
        const first = await store.logs.deleteSubjectChunk({ jobId: job.jobId, owner: 'worker-1' }, 'logs', { kind: 'customer_id', value: 'alice' }, cut, 1);
        assert.deepEqual(first, { logs: 1, sessions: 0, done: false });
        const second = await store.logs.deleteSubjectChunk({ jobId: job.jobId, owner: 'worker-1' }, 'logs', { kind: 'customer_id', value: 'alice' }, cut, 1);
        assert.deepEqual(second, { logs: 0, sessions: 0, done: true });
        assert.deepEqual(await ids('customer_id::alice'), [1], 'the later log stays');
        assert.deepEqual(await ids('request.context.metadata.user_id::u-alice'), [], 'every index entry of the deleted log is gone');
        assert.equal((await store.jobs.get(job.jobId))?.deletedLogs, 1);
        const other = await store.logs.page({ instanceId: 'elsewhere', filter: null, scope: {}, descending: false, limit: 10, after: null });
        assert.equal(other.logs.length, 1, 'other instances are untouched');
        await store.logs.eraseResidue();
      });

      test('deleting logs of a session deletes the session too', async () => {
        const session: SessionRecord = { instanceId: 'logs', sessionId: 'sess-x', assistantId: 'a', environmentId: 'a', context: {}, createdAt: 1, lastActiveAt: 1, expiresAt: Date.now() + 60_000 };
        await store.sessions.insert(session);
        await store.ingest([{ log: log(9, { sessionId: 'sess-x', customerIds: ['dave'] }), session: { ...session, context: { turn: 1 } } }]);
        assert.deepEqual((await store.sessions.get('logs', 'sess-x'))?.context, { turn: 1 }, 'the session state is committed with its log');
        const job = jobRecord('logs', 'dave', Date.now() + 1);
        await store.jobs.insert(job);
        assert.equal((await store.jobs.claim('worker-2', Date.now(), 60_000))?.jobId, job.jobId);
        const r = await store.logs.deleteSubjectChunk({ jobId: job.jobId, owner: 'worker-2' }, 'logs', { kind: 'customer_id', value: 'dave' }, job.cutoffTs, 100);
        assert.deepEqual(r, { logs: 1, sessions: 1, done: true });
        assert.equal(await store.sessions.get('logs', 'sess-x'), undefined);
      });
    });

    describe('the examples of IBM\'s filter reference', () => {
      const examples: [number, string, Partial<LogRecord>][] = [
        [0, 'I want to order a soda', { responseTs: Date.parse('2020-07-15T10:00:00Z'), customerIds: ['my_id'], assistantId: 'dcd5c5ad-f3a1-4345-89c5-708b0b5ff4f7',
          response: { output: { intents: [{ intent: 'place_order', confidence: 0.9 }], entities: [{ entity: 'beverage', value: 'soda' }] } } }],
        [1, 'Talk to IBM Watson about my orders', { responseTs: Date.parse('2019-10-31T12:00:00Z'),
          response: { output: { intents: [{ intent: 'hello', confidence: 0.9 }] } } }],
        [2, '!hello there, Wattson', { responseTs: Date.parse('2020-08-01T00:00:00Z'),
          response: { output: { intents: [{ intent: 'goodbye', confidence: 0.7 }] } } }],
        [3, 'communications are down', { responseTs: Date.parse('2019-11-01T04:00:00Z'),
          response: { output: { intents: [{ intent: 'order', confidence: 0.6 }, { intent: 'place_order', confidence: 0.5 }], entities: [{ entity: 'beverage', value: 'water' }] } } }],
      ];
      before(async () => {
        await store.ingest(examples.map(([i, text, patch]) => ({
          log: {
            logId: newId(), instanceId: 'ibm', api: 'v2', assistantId: 'other', environmentId: null, workspaceId: 'w', sessionId: 's',
            conversationId: `ex-${i}`, userId: null, customerIds: [], deployment: null, language: 'en', snapshot: 'draft', topIntent: null,
            topConfidence: null, entitiesCount: 0, inputText: text, learningOptOut: false, requestTs: patch.responseTs! - 5,
            responseTs: 0, request: { input: { text } }, response: {}, ...patch,
          },
        })));
      });
      const table: [string, number[]][] = [
        ['response_timestamp>=2020-07-01,response_timestamp<2020-08-01', [0]],
        ['response_timestamp<2019-11-01T04:00:00.000Z', [1]],
        ['customer_id::my_id', [0]],
        ['assistant_id::dcd5c5ad-f3a1-4345-89c5-708b0b5ff4f7', [0]],
        ['request.input.text:order', [0, 1]],
        ['response.output.intents:intent::place_order', [0, 3]],
        ['response.output.entities:entity::beverage', [0, 3]],
        ['response.output.intents:intent::!order', [0, 1, 2]],
        ['request.input.text:!order', [2, 3]],
        ['request.input.text:\\!hello', [2]],
        ['request.input.text:"IBM Watson"', [1]],
        ['request.input.text:Watson~2', [1, 2]],
        ['request.input.text:comm*s', [3]],
        ['response.output.intents:intent::(hello|goodbye)', [1, 2]],
        ['[response.output.intents:intent::order,response.output.entities:entity::beverage]', [3]],
      ];
      for (const [filter, expected] of table) {
        test(filter, async () => {
          const page = await store.logs.page({ instanceId: 'ibm', filter: parseFilter(filter, 'v2'), scope: {}, descending: false, limit: 100, after: null });
          assert.deepEqual(page.logs.map((l) => Number(l.conversationId!.split('-')[1])).sort(), expected);
        });
      }
    });

    test('jobs: one claimant at a time, expired leases are taken over, completion erases the subject', async () => {
      const job = jobRecord('jobs', 'erin', 1000);
      await store.jobs.insert(job);
      const now = 10_000;
      const a = await store.jobs.claim('a', now, 1000);
      assert.equal(a?.jobId, job.jobId);
      assert.equal(a?.status, 'running');
      assert.equal(a?.attempts, 1);
      assert.equal(await store.jobs.claim('b', now + 500, 1000), undefined, 'a leased job is not handed out again');
      assert.equal(await store.jobs.renewLease(job.jobId, 'b', now + 5000), false, 'only the holder renews');
      const b = await store.jobs.claim('b', now + 1500, 1000);
      assert.equal(b?.jobId, job.jobId, 'an expired lease is taken over');
      assert.equal(b?.attempts, 2);
      assert.equal(b?.startedAt, a?.startedAt, 'the original start time is kept');
      await store.jobs.markVerified(job.jobId, 'a', 1, { logs: 0 });
      await store.jobs.finish(job.jobId, 'a', { status: 'completed', at: 1, error: null });
      const stillRunning = await store.jobs.get(job.jobId);
      assert.equal(stillRunning?.status, 'running', 'a worker that lost the lease cannot verify or finish the job');
      assert.equal(stillRunning?.subjectValue, 'erin');
      await store.jobs.markVerified(job.jobId, 'b', now + 1800, { logs: 0, events: 0 });
      const verified = await store.jobs.get(job.jobId);
      assert.equal(verified?.status, 'verifying');
      assert.equal(verified?.subjectValue, null, 'once verified, the job holds no personal data');
      assert.equal(verified?.verifiedAt, now + 1800);
      assert.deepEqual(verified?.verification, { logs: 0, events: 0 }, 'the receipt keeps what verification counted');
      assert.equal(await store.jobs.claim('c', now + 2000, 1000), undefined, 'a verifying job is leased too');
      const resumed = await store.jobs.claim('c', now + 3000, 1000);
      assert.equal(resumed?.status, 'verifying', 'a verifying job whose worker died is resumed where it was');
      await store.jobs.finish(job.jobId, 'c', { status: 'completed', at: now + 3100, error: null });
      const done = await store.jobs.get(job.jobId);
      assert.equal(done?.status, 'completed');
      assert.equal(done?.verifiedAt, now + 1800);
      assert.equal(done?.subjectHash, job.subjectHash);
      assert.deepEqual((await store.jobs.list('jobs', 10)).map((j) => j.jobId), [job.jobId]);
    });

    test('jobs: only a queued job can be cancelled, and a cancelled job forgets its subject and is never claimed', async () => {
      const queued = jobRecord('cancel', 'fay', 1000);
      const taken = jobRecord('cancel', 'gus', 900);
      await store.jobs.insert(taken);
      assert.equal((await store.jobs.claim('w', 2000, 1000))?.jobId, taken.jobId);
      await store.jobs.insert(queued);
      assert.equal(await store.jobs.cancel(taken.jobId, 2100), false, 'a running job is carried through');
      assert.equal(await store.jobs.cancel(queued.jobId, 2100), true);
      assert.equal(await store.jobs.cancel(queued.jobId, 2200), false, 'cancelling twice changes nothing');
      await store.jobs.finish(taken.jobId, 'w', { status: 'completed', at: 2300, error: null });
      const cancelled = await store.jobs.get(queued.jobId);
      assert.equal(cancelled?.status, 'cancelled');
      assert.equal(cancelled?.subjectValue, null);
      assert.equal(cancelled?.finishedAt, 2100);
      assert.equal(await store.jobs.claim('w2', 10_000, 1000), undefined, 'nothing is left to claim');
      assert.deepEqual((await store.jobs.listBySubject('cancel', queued.subjectHash, 10)).map((j) => j.jobId), [queued.jobId]);
      assert.deepEqual(await store.jobs.listBySubject('other-instance', queued.subjectHash, 10), []);
    });

    describe('events, settings and exports', () => {
      const event = (i: number, userId: string, type = 'search'): EventRecord => ({
        eventId: newId(), instanceId: 'ua', type, userId, visitorId: `v-${userId}`, visitId: 'visit', anonymous: false,
        searchUid: null, originLevel1: null, language: 'en', ipHash: null, receivedTs: 1_800_000_000_000 + i * 1000, batchId: null,
        payload: { queryText: `q${i}` },
      });
      before(async () => {
        await store.ingest([event(0, 'ann'), event(1, 'ann', 'click'), event(2, 'ben'), event(3, 'ann', 'custom')].map((e) => ({ event: e })));
      });

      test('events are listed by subject, time range and key, and counted by type', async () => {
        const ann = [{ kind: 'user_id' as const, value: 'ann' }];
        assert.deepEqual((await store.events.list({ instanceId: 'ua', subjects: ann, limit: 10 })).map((e) => e.payload.queryText), ['q0', 'q1', 'q3']);
        assert.deepEqual((await store.events.list({ instanceId: 'ua', subjects: [{ kind: 'visitor_id', value: 'v-ben' }], limit: 10 })).length, 1);
        const window = await store.events.list({ instanceId: 'ua', subjects: [], fromTs: 1_800_000_001_000, toTs: 1_800_000_003_000, limit: 10 });
        assert.deepEqual(window.map((e) => e.payload.queryText), ['q1', 'q2']);
        const first = await store.events.list({ instanceId: 'ua', subjects: [], limit: 1 });
        assert.deepEqual((await store.events.list({ instanceId: 'ua', subjects: [], limit: 10, afterSeq: first[0]!.seq })).length, 3);
        assert.deepEqual(await store.events.countByType('ua', ann), { search: 1, click: 1, custom: 1 });
        assert.deepEqual(await store.events.list({ instanceId: 'elsewhere', subjects: ann, limit: 10 }), []);
      });

      test('event deletion is chunked, counted on the job and lease-checked', async () => {
        const job = jobRecord('ua', 'ann', 1_900_000_000_000);
        await store.jobs.insert(job);
        assert.equal((await store.jobs.claim('w-events', Date.now(), 60_000))?.jobId, job.jobId);
        await assert.rejects(store.events.deleteSubjectChunk({ jobId: job.jobId, owner: 'nobody' }, 'ua', { kind: 'user_id', value: 'ann' }, job.cutoffTs, 10), JobLeaseLost);
        assert.deepEqual(await store.events.deleteSubjectChunk({ jobId: job.jobId, owner: 'w-events' }, 'ua', { kind: 'user_id', value: 'ann' }, job.cutoffTs, 2), { events: 2, done: false });
        assert.deepEqual(await store.events.deleteSubjectChunk({ jobId: job.jobId, owner: 'w-events' }, 'ua', { kind: 'user_id', value: 'ann' }, job.cutoffTs, 2), { events: 1, done: true });
        const events = (subject: Subject) => store.subjects.holdings('ua', { logs: [], events: [subject] }, job.cutoffTs).then((h) => h.events);
        assert.equal(await events({ kind: 'user_id', value: 'ann' }), 0);
        assert.equal(await events({ kind: 'visitor_id', value: 'v-ann' }), 0, 'every subject entry of the event goes');
        assert.equal((await store.jobs.get(job.jobId))?.deletedEvents, 3);
        assert.equal(await events({ kind: 'user_id', value: 'ben' }), 1);
      });

      test('settings default to collecting and are per instance', async () => {
        const defaults = { analyticsEnabled: true, logRetentionDays: null, eventRetentionDays: null };
        assert.deepEqual(await store.settings.get('ua'), defaults);
        await store.settings.set('ua', { ...defaults, analyticsEnabled: false });
        assert.deepEqual(await store.settings.get('ua'), { ...defaults, analyticsEnabled: false });
        assert.deepEqual(await store.settings.get('other'), defaults);
        await store.settings.set('ua', defaults);
        assert.deepEqual(await store.settings.get('ua'), defaults);
      });

      test('exports: completed with their subjects, shared by hash, erased on expiry or for a subject', async () => {
        const record = (id: string, expiresAt: number): ExportRecord => ({
          exportId: id, instanceId: 'ua', status: 'PENDING', author: 'k', description: '', createdAt: 1, finishedAt: null, expiresAt,
          request: { fromTs: 0, toTs: 1, filters: { f: [], fs: [], fc: [] }, tables: ['ALL_EVENTS'], format: 'CSV' }, size: 0,
          shareHash: null, sharedAt: null, error: null,
        });
        await store.exports.insert(record('x1', 10_000));
        await store.exports.insert(record('x2', 1_000));
        assert.deepEqual((await store.exports.pending()).map((e) => e.exportId).sort(), ['x1', 'x2']);
        await store.exports.complete('x1', Buffer.from('a,b'), [{ kind: 'user_id', value: 'ben' }], 5);
        await store.exports.complete('x2', Buffer.from('c'), [], 5);
        assert.equal((await store.exports.get('ua', 'x1'))?.status, 'AVAILABLE');
        assert.equal((await store.exports.get('ua', 'x1'))?.size, 3);
        assert.equal((await store.exports.content('ua', 'x1', 6))?.toString(), 'a,b');
        assert.equal(await store.exports.content('other', 'x1', 6), undefined);
        assert.equal(await store.exports.content('ua', 'x2', 1_000), undefined, 'past its expiry, before the clean-up, the file is not handed out');
        assert.equal(await store.exports.share('ua', 'x2', 'hash-2', 1_000), false, 'nor can it be shared');
        assert.equal(await store.exports.share('ua', 'x1', 'hash-1', 6), true);
        assert.equal((await store.exports.findShared('hash-1', 7))?.content.toString(), 'a,b');
        assert.equal(await store.exports.findShared('hash-1', 10_000), undefined, 'a link dies with its export');
        assert.equal(await store.exports.content('ua', 'x1', 10_000), undefined);
        assert.equal(await store.exports.expire(5_000), 1);
        assert.equal((await store.exports.get('ua', 'x2'))?.status, 'EXPIRED');
        assert.equal(await store.exports.content('ua', 'x2', 6), undefined);
        assert.equal(await store.exports.eraseForSubject('ua', { kind: 'user_id', value: 'ben' }), 1);
        assert.equal(await store.exports.findShared('hash-1', 7), undefined);
        assert.equal(await store.exports.delete('ua', 'x1'), true);
        assert.equal(await store.exports.get('ua', 'x1'), undefined);
      });
    });

    test('audit: appends follow the head, one chain per instance, read newest first or in chain order', async () => {
      const build = (instanceId: string, actor: string) => (head: AuditHead): AuditEntryRecord => ({
        instanceId, seq: head.seq + 1, entryId: newId(), at: 100 + head.seq, actor, action: 'key.create', target: `t${head.seq + 1}`,
        details: { n: head.seq + 1, ok: true, none: null }, prevHash: head.hash, hash: `h-${instanceId}-${head.seq + 1}`,
      });
      assert.equal(await store.audit.head('a1'), undefined);
      const first = await store.audit.append('a1', build('a1', 'key:k'));
      assert.deepEqual([first.seq, first.prevHash], [1, AUDIT_GENESIS_HASH]);
      for (let i = 0; i < 4; i++) await store.audit.append('a1', build('a1', 'key:k'));
      await store.audit.append('a2', build('a2', 'system'));
      assert.deepEqual(await store.audit.head('a1'), { instanceId: 'a1', seq: 5, hash: 'h-a1-5' });
      assert.deepEqual(await store.audit.head('a2'), { instanceId: 'a2', seq: 1, hash: 'h-a2-1' });

      const newest = await store.audit.list('a1', { limit: 2 });
      assert.deepEqual(newest.map((e) => e.seq), [5, 4]);
      assert.equal(newest[1]!.prevHash, 'h-a1-3');
      assert.deepEqual(newest[0]!.details, { n: 5, ok: true, none: null });
      assert.deepEqual((await store.audit.list('a1', { beforeSeq: 4, limit: 10 })).map((e) => e.seq), [3, 2, 1]);
      assert.deepEqual((await store.audit.range('a1', 2, 2)).map((e) => e.seq), [3, 4]);
      assert.deepEqual((await store.audit.range('a2', 0, 10)).map((e) => e.actor), ['system']);
      assert.deepEqual(await store.audit.instances(), ['a1', 'a2']);

      await assert.rejects(store.audit.append('a1', (head) => ({ ...build('a1', 'x')(head), seq: head.seq + 2 })), 'an entry that skips a seq is refused');
      await assert.rejects(store.audit.append('a1', (head) => ({ ...build('a1', 'x')(head), prevHash: 'forged' })), 'an entry not linked to the head is refused');
      assert.deepEqual(await store.audit.head('a1'), { instanceId: 'a1', seq: 5, hash: 'h-a1-5' }, 'a refused append leaves the head where it was');
      assert.equal((await store.audit.list('a1', { limit: 100 })).length, 5);
    });

    test('secrets: created once, then stable', async () => {
      const first = await store.secrets.getOrCreate('s', () => 'one');
      const second = await store.secrets.getOrCreate('s', () => 'two');
      assert.equal(first, 'one');
      assert.equal(second, 'one');
    });
  });
}

function jobRecord(instanceId: string, customerId: string, cutoffTs: number): DeletionJobRecord {
  return {
    jobId: newId(), instanceId, subjectKind: 'customer_id', subjectValue: customerId, subjectHash: `hash-${customerId}`,
    cutoffTs, status: 'queued', attempts: 0, createdAt: cutoffTs, startedAt: null, finishedAt: null, verifiedAt: null, verification: null,
    deletedLogs: 0, deletedSessions: 0, deletedEvents: 0, error: null, requestedBy: null,
  };
}

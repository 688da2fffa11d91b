import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import AssistantV1 from 'ibm-watson/assistant/v1.js';
import { BasicAuthenticator } from 'ibm-watson/auth/index.js';
import { bankingWorkspace } from '../fixtures/workspace.js';
import { call } from '../helpers/http.js';
import { runCli, startLethe, type LetheProcess } from '../helpers/lethe-process.js';

/** The two routes the dashboard added to Lethe's API: `GET /api/v1/whoami` and `GET /api/v1/logs`. */
describe('dashboard API: whoami and the log explorer listing', () => {
  let lethe: LetheProcess;
  let conversationId: string;
  const keyWith = async (privileges: string, instance?: string) => {
    const args = ['keys', 'create', '--name', `k-${privileges}`, '--privileges', privileges, ...(instance ? ['--instance', instance] : [])];
    const out = await runCli(lethe.env, args);
    assert.equal(out.code, 0, out.stderr);
    return JSON.parse(out.stdout).secret as string;
  };

  before(async () => {
    lethe = await startLethe();
    const v1 = new AssistantV1({ version: '2021-06-14', serviceUrl: lethe.url, authenticator: new BasicAuthenticator({ username: 'apikey', password: lethe.adminKey }) });
    const { dialog_nodes: dialogNodes, ...rest } = bankingWorkspace;
    const workspaceId = (await v1.createWorkspace({ ...rest, dialogNodes } as never)).result.workspace_id!;
    const first = await v1.message({ workspaceId, input: { text: 'current balance please' }, context: { metadata: { user_id: 'uma' } } as never, headers: { 'X-Watson-Metadata': 'customer_id=c-1;customer_id=c-2' } });
    conversationId = first.result.context.conversation_id!;
    await v1.message({ workspaceId, input: { text: 'bye' }, context: first.result.context, headers: { 'X-Watson-Metadata': 'customer_id=c-1' } });
    await v1.message({ workspaceId, input: { text: 'make a transfer' }, headers: { 'X-Watson-Metadata': 'customer_id=c-3' } });
  });
  after(async () => {
    await lethe.stop();
    lethe.cleanup();
  });

  test('whoami names the calling key, its instance and privileges, for any valid key', async () => {
    const messenger = await keyWith('message');
    const me = await call(lethe.url, 'GET', '/api/v1/whoami', { key: messenger, basic: false });
    assert.equal(me.status, 200);
    assert.deepEqual({ ...me.body, key_id: typeof me.body.key_id }, { key_id: 'string', name: 'k-message', instance: 'default', privileges: ['message'] });
    const stranger = await keyWith('logs:read,user_data:read', 'other');
    const other = await call(lethe.url, 'GET', '/api/v1/whoami', { key: stranger });
    assert.equal(other.body.instance, 'other');
    assert.deepEqual(other.body.privileges.sort(), ['logs:read', 'user_data:read']);
    const none = await call(lethe.url, 'GET', '/api/v1/whoami');
    assert.equal(none.status, 401);
    assert.equal(none.body.error.code, 'unauthorized');
    assert.equal((await call(lethe.url, 'GET', '/api/v1/whoami', { key: 'lethe_wrong' })).status, 401);
  });

  test('logs: flat rows with customer IDs, user and conversation, newest first when asked, paged by cursor', async () => {
    const all = await call(lethe.url, 'GET', '/api/v1/logs?sort=-request_timestamp', { key: lethe.adminKey });
    assert.equal(all.status, 200, JSON.stringify(all.body));
    assert.deepEqual(all.body.logs.map((l: { input_text: string }) => l.input_text), ['make a transfer', 'bye', 'current balance please']);
    const [, bye, balance] = all.body.logs;
    assert.deepEqual(balance.customer_ids, ['c-1', 'c-2']);
    assert.equal(balance.user_id, 'uma');
    assert.equal(balance.top_intent, 'check_balance');
    assert.ok(balance.top_confidence > 0.5);
    assert.deepEqual(balance.output_text, ['Your balance is $42.']);
    assert.equal(bye.conversation_id, conversationId);

    const first = await call(lethe.url, 'GET', '/api/v1/logs?page_limit=2', { key: lethe.adminKey });
    assert.equal(first.body.logs.length, 2);
    assert.ok(first.body.next_cursor);
    const second = await call(lethe.url, 'GET', `/api/v1/logs?page_limit=2&cursor=${encodeURIComponent(first.body.next_cursor)}`, { key: lethe.adminKey });
    assert.deepEqual(second.body.logs.map((l: { input_text: string }) => l.input_text), ['make a transfer']);
    assert.equal(second.body.next_cursor, null);
  });

  test('logs: the Watson filter language, with v1 and v2 field names and no language/workspace requirement', async () => {
    const q = async (filter: string) => (await call(lethe.url, 'GET', `/api/v1/logs?filter=${encodeURIComponent(filter)}`, { key: lethe.adminKey })).body;
    assert.deepEqual((await q('customer_id::c-1')).logs.map((l: { input_text: string }) => l.input_text), ['current balance please', 'bye']);
    assert.equal((await q(`conversation_id::"${conversationId}"`)).logs.length, 2);
    assert.equal((await q('response.intents:intent::transfer_money')).logs.length, 1);
    assert.equal((await q('request.context.metadata.user_id::uma')).logs.length, 2);
    const bad = await call(lethe.url, 'GET', `/api/v1/logs?filter=${encodeURIComponent('customer_id c-1')}`, { key: lethe.adminKey });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'bad_request');
    assert.match(bad.body.error.message, /^Invalid filter at position 12: expected an operator/);
    const badCursor = await call(lethe.url, 'GET', '/api/v1/logs?cursor=garbage', { key: lethe.adminKey });
    assert.equal(badCursor.status, 400);
  });

  test('logs: each row carries its answer\'s review, null until someone reviews it', async () => {
    const listed = async () => (await call(lethe.url, 'GET', '/api/v1/logs?sort=request_timestamp', { key: lethe.adminKey })).body.logs;
    const [balance, bye, transfer] = await listed();
    assert.deepEqual([balance.annotation, bye.annotation, transfer.annotation], [null, null, null]);
    const review = { verdict: 'incorrect', root_cause: 'wrong_intent', corrected_intent: 'farewell', note: 'said bye' };
    assert.equal((await call(lethe.url, 'POST', `/api/v1/logs/${bye.log_id}/annotations`, { key: lethe.adminKey, body: review })).status, 201);
    assert.equal((await call(lethe.url, 'POST', `/api/v1/logs/${transfer.log_id}/annotations`, { key: lethe.adminKey, body: { verdict: 'correct' } })).status, 201);
    const after = await listed();
    assert.equal(after[0].annotation, null);
    assert.deepEqual({ ...after[1].annotation, updated: typeof after[1].annotation.updated }, { ...review, updated: 'string' });
    assert.equal(after[2].annotation.verdict, 'correct');
    const stranger = await keyWith('admin', 'reviews-elsewhere');
    const foreign = await call(lethe.url, 'POST', `/api/v1/logs/${transfer.log_id}/annotations`, { key: stranger, body: { verdict: 'incorrect', root_cause: 'other' } });
    assert.equal(foreign.status, 404, 'another instance cannot review this instance\'s logs');
    assert.equal((await listed())[2].annotation.verdict, 'correct');
  });

  test('logs: needs a key with logs:read, and shows only the key\'s own instance', async () => {
    assert.equal((await call(lethe.url, 'GET', '/api/v1/logs')).status, 401);
    const messenger = await keyWith('message');
    const refused = await call(lethe.url, 'GET', '/api/v1/logs', { key: messenger });
    assert.equal(refused.status, 403);
    assert.match(refused.body.error.message, /logs:read/);
    assert.equal((await call(lethe.url, 'GET', '/api/v1/logs', { key: await keyWith('logs:read') })).body.logs.length, 3);
    const stranger = await keyWith('admin', 'elsewhere');
    assert.deepEqual((await call(lethe.url, 'GET', '/api/v1/logs', { key: stranger })).body, { logs: [], next_cursor: null });
  });
});

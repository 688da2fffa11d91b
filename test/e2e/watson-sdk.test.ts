import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import AssistantV1 from 'ibm-watson/assistant/v1.js';
import AssistantV2 from 'ibm-watson/assistant/v2.js';
import { BasicAuthenticator, BearerTokenAuthenticator } from 'ibm-watson/auth/index.js';
import { bankingWorkspace } from '../fixtures/workspace.js';
import { call } from '../helpers/http.js';
import { startLethe, type LetheProcess } from '../helpers/lethe-process.js';
import { finishedJob } from '../helpers/wait.js';
import { describeEachEngine, freshDatabase, queryRows, storedContent, type FreshDatabase } from '../helpers/test-engines.js';

const VERSION = '2021-06-14';

describeEachEngine('the official ibm-watson SDK against Lethe', (engine) => {
  let database: FreshDatabase;
  let lethe: LetheProcess;
  let v1: AssistantV1;
  let v2: AssistantV2;
  let workspaceId: string;
  let assistantId: string;

  before(async () => {
    database = await freshDatabase(engine, 'watson-sdk');
    // debug: every request gets an access line (at info only failed ones do), so the leak check below covers them all.
    lethe = await startLethe({ databaseUrl: database.url, env: { LETHE_LOG_LEVEL: 'debug' } });
    const authenticator = new BasicAuthenticator({ username: 'apikey', password: lethe.adminKey });
    v1 = new AssistantV1({ version: VERSION, authenticator, serviceUrl: lethe.url });
    v2 = new AssistantV2({ version: VERSION, authenticator, serviceUrl: lethe.url });
  });
  after(async () => {
    await lethe.stop();
    lethe.cleanup();
    await database.drop();
  });

  test('creates, reads and lists a workspace', async () => {
    const { dialog_nodes: dialogNodes, ...rest } = bankingWorkspace;
    const created = await v1.createWorkspace({ ...rest, dialogNodes });
    assert.equal(created.status, 201);
    workspaceId = created.result.workspace_id!;
    assert.equal(created.result.name, 'Banking');

    const exported = await v1.getWorkspace({ workspaceId, _export: true });
    assert.deepEqual(exported.result.intents?.map((i) => i.intent), ['check_balance', 'transfer_money', 'goodbye']);
    assert.equal(exported.result.dialog_nodes?.length, 6);
    const plain = await v1.getWorkspace({ workspaceId });
    assert.equal(plain.result.intents, undefined, 'without export only the workspace itself is returned');

    const listed = await v1.listWorkspaces({ includeCount: true });
    assert.equal(listed.result.pagination.total, 1);
    assert.equal(listed.result.workspaces[0]?.workspace_id, workspaceId);
  });

  test('v1 message classifies, matches entities, follows the dialog and carries context', async () => {
    const headers = { 'X-Watson-Metadata': 'customer_id=cust-a;customer_id=cust-b', 'X-Watson-Learning-Opt-Out': 'true' };
    const first = await v1.message({
      workspaceId, input: { text: 'how much money is in my account? zephyrquartz' },
      context: { metadata: { user_id: 'user-1', deployment: 'web' } }, headers,
    });
    assert.equal(first.status, 200);
    assert.equal(first.result.intents[0]?.intent, 'check_balance');
    assert.ok(first.result.intents[0]!.confidence! > 0.5, `confidence ${first.result.intents[0]!.confidence}`);
    assert.deepEqual(first.result.output.text, ['Your balance is $42.']);
    const conversationId = first.result.context.conversation_id!;
    assert.ok(conversationId);

    const second = await v1.message({ workspaceId, input: { text: 'I want to transfer money' }, context: first.result.context });
    assert.equal(second.result.intents[0]?.intent, 'transfer_money');
    assert.deepEqual(second.result.output.text, ['Which account should the money come from?']);
    assert.equal(second.result.context.conversation_id, conversationId);

    const third = await v1.message({ workspaceId, input: { text: 'from my deposit account' }, context: second.result.context, headers: { 'X-Watson-Metadata': 'customer_id=cust-c' } });
    assert.deepEqual(third.result.entities.map((e) => [e.entity, e.value]), [['account_type', 'savings']]);
    assert.deepEqual(third.result.output.nodes_visited, ['transfer_from']);

    const gibberish = await v1.message({ workspaceId, input: { text: 'xqzv plorb wug' }, headers: { 'X-Watson-Metadata': 'customer_id=cust-c' } });
    assert.equal(gibberish.result.intents.length, 0);
    assert.deepEqual(gibberish.result.output.text, ["Sorry, I didn't understand."]);
  });

  test('v2 sessions, stateful and stateless messages, through the environment paths the SDK uses', async () => {
    const created = await call(lethe.url, 'POST', '/api/v1/assistants', { key: lethe.adminKey, body: { name: 'Bank bot', workspace_id: workspaceId } });
    assert.equal(created.status, 201);
    assistantId = created.body.assistant_id;

    const session = await v2.createSession({ assistantId, environmentId: assistantId });
    assert.equal(session.status, 201);
    const sessionId = session.result.session_id;
    const headers = { 'X-Watson-Metadata': 'customer_id=cust-a' };
    const turn1 = await v2.message({
      assistantId, environmentId: assistantId, sessionId, headers,
      input: { text: 'please transfer money to savings', options: { return_context: true } },
      context: { global: { system: { user_id: 'user-2' } } },
    });
    assert.equal(turn1.result.output.intents?.[0]?.intent, 'transfer_money');
    assert.equal(turn1.result.user_id, 'user-2');
    assert.equal(turn1.result.context?.global?.system?.turn_count, 1);
    const turn2 = await v2.message({ assistantId, environmentId: assistantId, sessionId, headers, input: { text: 'from checking' } });
    assert.deepEqual(turn2.result.output.generic?.map((g: any) => g.text), ['Transferring from your checking account.']);
    assert.equal(turn2.result.context, undefined, 'stateful context is only returned when asked for');

    const environments = await v2.listEnvironments({ assistantId });
    const live = environments.result.environments.find((e) => e.environment === 'live')!;
    const stateless = await v2.messageStateless({ assistantId, environmentId: live.environment_id!, input: { text: 'bye for now' }, headers: { 'X-Watson-Metadata': 'customer_id=cust-d' } });
    assert.equal(stateless.result.output.intents?.[0]?.intent, 'goodbye');
    assert.ok(stateless.result.context.skills?.['main skill']?.system?.state, 'stateless replies carry the dialog state');

    await v2.deleteSession({ assistantId, environmentId: assistantId, sessionId });
    await assert.rejects(
      v2.message({ assistantId, environmentId: assistantId, sessionId, input: { text: 'hi' } }),
      (err: any) => err.status === 404 && /Invalid Session/.test(err.message),
    );
  });

  test('logs are listed with filters and cursor pagination', async () => {
    const byCustomer = await v1.listLogs({ workspaceId, filter: 'customer_id::cust-a' });
    assert.equal(byCustomer.result.logs.length, 3, 'a skill\'s logs include the v2 messages it answered');
    const log = byCustomer.result.logs[0]!;
    assert.equal(log.workspace_id, workspaceId);
    assert.match(log.request.input!.text!, /zephyrquartz/);
    assert.equal(log.response.intents[0]?.intent, 'check_balance');

    const all = await v1.listAllLogs({ filter: `language::en,workspace_id::${workspaceId}` });
    assert.equal(all.result.logs.length, 7, 'four v1 and three v2 messages went to this workspace');

    const topIntent = await v1.listLogs({ workspaceId, filter: 'response.top_intent::transfer_money,request_timestamp>=2020-01-01' });
    assert.equal(topIntent.result.logs.length, 3, 'one v1 and two v2 turns were about transfers');

    const pages: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await v1.listLogs({ workspaceId, pageLimit: 3, sort: '-request_timestamp', ...(cursor ? { cursor } : {}) });
      pages.push(...page.result.logs.map((l) => l.log_id));
      cursor = page.result.pagination.next_cursor;
      if (cursor) assert.match(page.result.pagination.next_url!, /cursor=/);
    } while (cursor);
    assert.equal(pages.length, 7);
    assert.equal(new Set(pages).size, 7, 'no log appears twice across pages');

    // Watson's log API does not show the learning opt-out flag; it is a column of the stored row.
    const flags = await queryRows(lethe.databaseUrl, `SELECT learning_opt_out AS "optOut", customer_ids AS ids FROM logs WHERE api = 'v1' ORDER BY seq`);
    assert.deepEqual(flags, [
      { optOut: 1, ids: '["cust-a","cust-b"]' }, { optOut: 0, ids: '[]' }, { optOut: 0, ids: '["cust-c"]' }, { optOut: 0, ids: '["cust-c"]' },
    ]);

    const v2Logs = await v2.listLogs({ assistantId, filter: 'customer_id::cust-a' });
    assert.equal(v2Logs.result.logs.length, 2);
    assert.equal(v2Logs.result.logs[0]?.customer_id, 'cust-a');
    assert.equal(v2Logs.result.logs[0]?.assistant_id, assistantId);
  });

  test('deleteUserData removes every log of the customer across the instance, leaving no bytes behind', async () => {
    assert.ok((await storedContent(lethe.databaseUrl)).includes('zephyrquartz'), 'the marker is on disk before deletion (the check can fail)');
    const res = await v1.deleteUserData({ customerId: 'cust-a' });
    assert.equal(res.status, 202);
    assert.deepEqual(res.result, {});
    const jobId = String(res.headers.location).split('/').pop()!;
    const job = await finishedJob(lethe.url, lethe.adminKey, jobId);
    assert.equal(job.status, 'completed');
    assert.deepEqual(job.deleted, { logs: 3, sessions: 0, events: 0 }, 'the session was already deleted by the client');
    assert.ok(job.verified, 'the job records when it verified the deletion');
    assert.equal(JSON.stringify(job).includes('cust-a'), false, 'the receipt holds no customer ID');

    assert.equal((await v1.listLogs({ workspaceId, filter: 'customer_id::cust-a' })).result.logs.length, 0);
    assert.equal((await v1.listLogs({ workspaceId, filter: 'customer_id::cust-b' })).result.logs.length, 0, 'a log labelled with several customers goes with any of them');
    assert.equal((await v1.listLogs({ workspaceId, filter: 'customer_id::cust-c' })).result.logs.length, 2, 'other customers keep their logs');
    const residue = await storedContent(lethe.databaseUrl);
    // user-1 stays: the conversation's later messages carry it without a customer ID, so they are not the subject's.
    for (const gone of ['zephyrquartz', 'cust-a']) assert.equal(residue.includes(gone), false, `${gone} is still on disk`);
  });

  test('a Bearer token works as well as Basic apikey auth', async () => {
    const bearer = new AssistantV1({ version: VERSION, authenticator: new BearerTokenAuthenticator({ bearerToken: lethe.adminKey }), serviceUrl: lethe.url });
    assert.equal((await bearer.listWorkspaces()).status, 200);
  });

  test('the server log holds neither message text nor customer IDs nor keys', () => {
    const out = lethe.output();
    for (const secret of ['zephyrquartz', 'cust-a', 'cust-c', 'user-1', lethe.adminKey, 'transfer money']) {
      assert.equal(out.includes(secret), false, `server output leaked ${secret}`);
    }
    assert.match(out, /"route":"\/v1\/workspaces\/:workspace_id\/message"/, 'requests are logged, by route pattern');
  });
});

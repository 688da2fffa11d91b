import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { bankingWorkspace } from '../../../test/fixtures/workspace.js';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.js';
import type { IngestWrite, MessageWrite } from '../../model/ingest.js';
import { Assistants } from '../assistants/assistants.js';
import { IngestWriter } from '../ingest/ingest-writer.js';
import { Sessions } from '../sessions/sessions.js';
import type { WorkspaceBody } from '../workspaces/workspace-schema.js';
import { Workspaces } from '../workspaces/workspaces.js';
import { Conversations, type MessageMeta } from './conversations.js';

const store = openSqliteStore('sqlite::memory:', { synchronous: 'NORMAL' });
after(() => store.close());
const committed: MessageWrite[] = [];
// Catalog changes are audited; these tests only need them to happen.
const audit = { record: async () => undefined } as never;
const workspaces = new Workspaces(store.workspaces, audit);
const assistants = new Assistants(store.assistants, store.workspaces, audit);
const sessions = new Sessions(store.sessions, 60_000);
const writer = new IngestWriter(async (writes: IngestWrite[]) => { committed.push(...(writes as MessageWrite[])); await store.ingest(writes); });
const conversations = new Conversations(workspaces, assistants, sessions, writer);
const meta: MessageMeta = { instanceId: 'inst-1', customerIds: ['cust-1'], learningOptOut: false, receivedAt: Date.now() };
const lastLog = () => committed.at(-1)!.log;

describe('conversations', async () => {
  const workspace = await workspaces.create('inst-1', bankingWorkspace as unknown as WorkspaceBody, 'test');
  const assistant = await assistants.create('inst-1', { workspaceId: workspace.workspaceId }, 'test');

  it('answers v1 with the JSON text its log row stores', async () => {
    const json = await conversations.messageV1(meta, workspace.workspaceId, { input: { text: 'what is my balance' } }, false);
    const reply = JSON.parse(json) as { intents: { intent: string }[] };
    assert.equal(reply.intents[0]?.intent, 'check_balance');
    assert.equal(lastLog().responseJson, json);
    assert.deepEqual(lastLog().response, reply);
  });

  it('stores the context of a stateful v2 turn even though the reply leaves it out', async () => {
    const session = await conversations.createSession('inst-1', assistant.assistantId, undefined);
    const json = await conversations.messageV2(meta, assistant.assistantId, undefined, session.sessionId, { input: { text: 'transfer money' } });
    const reply = JSON.parse(json) as Record<string, unknown>;
    assert.deepEqual(Object.keys(reply), ['output', 'user_id']);
    const log = lastLog();
    assert.equal(log.responseJson, JSON.stringify(log.response));
    assert.deepEqual(JSON.parse(log.responseJson!), { ...reply, context: log.response.context });
    assert.equal((log.response.context as { global: { session_id: string } }).global.session_id, session.sessionId);
  });

  it('answers a stateless v2 turn with the context, exactly as logged', async () => {
    const json = await conversations.messageV2(meta, assistant.assistantId, undefined, undefined, { input: { text: 'bye' } });
    assert.ok('context' in (JSON.parse(json) as object));
    assert.equal(lastLog().responseJson, json);
    assert.equal(json, JSON.stringify(lastLog().response));
  });
});

describe('a session shared by two server processes', async () => {
  // Two processes on one database: each has its own Sessions, and so its own copies of session state.
  const other = new Conversations(workspaces, assistants, new Sessions(store.sessions, 60_000), writer);
  const workspace = await workspaces.create('inst-1', bankingWorkspace as unknown as WorkspaceBody, 'test');
  const assistant = await assistants.create('inst-1', { workspaceId: workspace.workspaceId }, 'test');
  const turnCount = () => (lastLog().response.context as { global: { system: { turn_count: number } } }).global.system.turn_count;
  const message = (c: Conversations, sessionId: string) =>
    c.messageV2({ ...meta, receivedAt: Date.now() }, assistant.assistantId, undefined, sessionId, { input: { text: 'what is my balance' } });

  it('continues from the turn the other process committed', async () => {
    const session = await conversations.createSession('inst-1', assistant.assistantId, undefined);
    await message(conversations, session.sessionId);
    await new Promise((resolve) => setTimeout(resolve, 2)); // the other process's turn is a later one
    await message(other, session.sessionId);
    assert.equal(turnCount(), 2);
    await new Promise((resolve) => setTimeout(resolve, 2));
    await message(conversations, session.sessionId);
    assert.equal(turnCount(), 3, 'the first process resumed from its own older copy');
  });

  it('answers Invalid Session once the other process deleted the session', async () => {
    const session = await conversations.createSession('inst-1', assistant.assistantId, undefined);
    await message(conversations, session.sessionId);
    await other.deleteSession('inst-1', assistant.assistantId, undefined, session.sessionId);
    await assert.rejects(message(conversations, session.sessionId), /Invalid Session/);
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bankingWorkspace } from '../fixtures/workspace.js';
import { call } from '../helpers/http.js';
import { runCli, startLethe, type LetheProcess } from '../helpers/lethe-process.js';
import { waitFor } from '../helpers/wait.js';

const V = 'version=2021-06-14';

describe('the lethe CLI, against the database a running server uses', () => {
  let lethe: LetheProcess;
  const cli = async (...args: string[]) => {
    const r = await runCli(lethe.env, args);
    assert.equal(r.code, 0, `lethe ${args.join(' ')}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };

  before(async () => { lethe = await startLethe(); });
  after(async () => {
    await lethe.stop();
    lethe.cleanup();
  });

  test('keys: create prints the secret once, list never does, revoke takes effect', async () => {
    const created = await cli('keys', 'create', '--name', 'reader', '--privileges', 'workspaces:read');
    assert.match(created.secret, /^lethe_/);
    assert.equal((await call(lethe.url, 'GET', `/v1/workspaces?${V}`, { key: created.secret })).status, 200);
    const listed = await cli('keys', 'list');
    assert.ok(listed.some((k: { key_id: string }) => k.key_id === created.key_id));
    assert.equal(JSON.stringify(listed).includes(created.secret), false);
    await cli('keys', 'revoke', created.key_id);
    // The server caches keys for a few seconds; a revocation from another process is seen within that time.
    const status = await waitFor(async () => (await call(lethe.url, 'GET', `/v1/workspaces?${V}`, { key: created.secret })).status, (s) => s !== 200);
    assert.equal(status, 401);
  });

  test('bad arguments fail with a message and a non-zero exit', async () => {
    const r = await runCli(lethe.env, ['keys', 'create', '--name', 'x', '--privileges', 'superuser']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Unknown privilege\(s\): superuser/);
  });

  test('workspaces import and assistants create make a working v2 assistant', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lethe-cli-'));
    const file = join(dir, 'workspace.json');
    writeFileSync(file, JSON.stringify(bankingWorkspace));
    const ws = await cli('workspaces', 'import', file);
    rmSync(dir, { recursive: true, force: true });
    const assistant = await cli('assistants', 'create', '--workspace-id', ws.workspace_id, '--name', 'CLI bot');
    assert.equal(assistant.workspace_id, ws.workspace_id);
    const reply = await call(lethe.url, 'POST', `/v2/assistants/${assistant.assistant_id}/message?${V}`, {
      key: lethe.adminKey, body: { input: { text: 'what is my balance' } }, headers: { 'x-watson-metadata': 'customer_id=cli-customer' },
    });
    assert.equal(reply.body.output.intents[0].intent, 'check_balance');
    assert.ok((await cli('assistants', 'list')).some((a: { assistant_id: string }) => a.assistant_id === assistant.assistant_id));
  });

  test('logs lists with the filter language and pages with a cursor', async () => {
    const page = await cli('logs', '--filter', 'customer_id::cli-customer,request.input.text:balances', '--limit', '1');
    assert.equal(page.logs.length, 1);
    assert.equal(page.logs[0].request.input.text, 'what is my balance');
    assert.ok(page.logs[0].assistant_id, 'a v2 log is shown as v2 logs are');
    assert.equal(page.next_cursor, null);
    const bad = await runCli(lethe.env, ['logs', '--filter', 'customer_id']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /position 11: expected an operator/);
  });

  test('delete-user waits for the verified receipt; jobs shows it', async () => {
    const receipt = await cli('delete-user', '--customer-id', 'cli-customer');
    assert.equal(receipt.status, 'completed');
    assert.equal(receipt.deleted.logs, 1);
    assert.ok(receipt.verified);
    assert.equal(JSON.stringify(receipt).includes('cli-customer'), false);
    const jobs = await cli('jobs');
    assert.equal(jobs[0].job_id, receipt.job_id);
  });

  test('an invalid workspace file is refused with the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lethe-cli-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ name: 'bad', intents: [{ intent: 'has space' }] }));
    const r = await runCli(lethe.env, ['workspaces', 'import', file]);
    rmSync(dir, { recursive: true, force: true });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /not a valid workspace: \/intents\/0\/intent/);
  });
});

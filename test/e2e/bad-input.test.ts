import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bankingWorkspace } from '../fixtures/workspace.js';
import { call } from '../helpers/http.js';
import { startLethe, type LetheProcess } from '../helpers/lethe-process.js';

const V = 'version=2021-06-14';

describe('bad input gets a clear Watson-format error and stores nothing', () => {
  let lethe: LetheProcess;
  let ws: string;
  const post = (path: string, opts: Parameters<typeof call>[3] = {}) => call(lethe.url, 'POST', path, { key: lethe.adminKey, ...opts });
  const logCount = async () => (await call(lethe.url, 'GET', `/v1/workspaces/${ws}/logs?${V}`, { key: lethe.adminKey })).body.logs.length;

  before(async () => {
    lethe = await startLethe();
    ws = (await post(`/v1/workspaces?${V}`, { body: bankingWorkspace })).body.workspace_id;
  });
  after(async () => {
    await lethe.stop();
    lethe.cleanup();
  });

  function assertWatsonError(r: { status: number; body: any }, status: number, pattern: RegExp): void {
    assert.equal(r.status, status, JSON.stringify(r.body));
    assert.equal(r.body.code, status);
    assert.match(r.body.error, pattern);
  }

  test('malformed JSON', async () => {
    assertWatsonError(await post(`/v1/workspaces/${ws}/message?${V}`, { rawBody: '{"input": {"text": "hi"' }), 400, /JSON/i);
    assert.equal(await logCount(), 0);
  });

  test('a body over the limit is 413', async () => {
    const huge = JSON.stringify({ input: { text: 'x' }, context: { pad: 'y'.repeat(600 * 1024) } });
    assertWatsonError(await post(`/v1/workspaces/${ws}/message?${V}`, { rawBody: huge }), 413, /too large/i);
    assert.equal(await logCount(), 0);
  });

  test('input text over 2,048 characters and wrongly typed fields', async () => {
    assertWatsonError(await post(`/v1/workspaces/${ws}/message?${V}`, { body: { input: { text: 'a'.repeat(2049) } } }), 400, /input\/text/);
    assertWatsonError(await post(`/v1/workspaces/${ws}/message?${V}`, { body: { input: 'hello' } }), 400, /input/);
    assertWatsonError(await post(`/v1/workspaces/${ws}/message?${V}`, { body: { context: { system: { dialog_stack: [1] } } } }), 400, /dialog_stack/);
    assert.equal(await logCount(), 0);
  });

  test('a number parameter beyond double range is 400 in each family\'s format, not Infinity reaching the store', async () => {
    const get = (path: string) => call(lethe.url, 'GET', path, { key: lethe.adminKey });
    const watson = await get(`/v1/workspaces/${ws}/logs?${V}&page_limit=1e999`);
    assert.deepEqual([watson.status, watson.body.error], [400, 'page_limit must be a finite number']);
    const native = await get('/api/v1/jobs?limit=1e999');
    assert.deepEqual([native.status, native.body.error.code], [400, 'bad_request']);
  });

  test('a missing or malformed version parameter', async () => {
    assertWatsonError(await post(`/v1/workspaces/${ws}/message`, { body: {} }), 400, /version/);
    assertWatsonError(await post(`/v1/workspaces/${ws}/message?version=yesterday`, { body: {} }), 400, /version/);
  });

  test('an X-Watson-Metadata header that cannot be parsed exactly is refused before anything is stored', async () => {
    for (const header of ['customer_id=a=b', 'customer_id', 'user=abc', 'customer_id=', ';;', 'customer_id=a;customer_id==b']) {
      const r = await post(`/v1/workspaces/${ws}/message?${V}`, { body: { input: { text: 'balance' } }, headers: { 'x-watson-metadata': header } });
      assertWatsonError(r, 400, /X-Watson-Metadata/);
    }
    assertWatsonError(await post(`/v1/workspaces/${ws}/message?${V}`, { body: {}, headers: { 'x-watson-learning-opt-out': 'maybe' } }), 400, /Opt-Out/);
    assert.equal(await logCount(), 0);
  });

  test('a bad filter is 400 naming the position and what was expected', async () => {
    const get = (filter: string) => call(lethe.url, 'GET', `/v1/workspaces/${ws}/logs?${V}&filter=${encodeURIComponent(filter)}`, { key: lethe.adminKey });
    assertWatsonError(await get('customer_id'), 400, /position 11: expected an operator/);
    assertWatsonError(await get('no.such.field::x'), 400, /Unknown field "no.such.field"/);
    assertWatsonError(await get('request_timestamp>=2020-13-45'), 400, /position 19/);
    assertWatsonError(await get('customer_id::"unterminated'), 400, /position/);
    const unnarrowed = await call(lethe.url, 'GET', `/v1/logs?${V}&filter=${encodeURIComponent('language::en|workspace_id::x')}`, { key: lethe.adminKey });
    assertWatsonError(unnarrowed, 400, /must name language/);
    assertWatsonError(await call(lethe.url, 'GET', `/v1/logs?${V}`, { key: lethe.adminKey }), 400, /filter/);
  });

  test('a tampered cursor, a bad sort and an out-of-range page limit', async () => {
    const get = (q: string) => call(lethe.url, 'GET', `/v1/workspaces/${ws}/logs?${V}&${q}`, { key: lethe.adminKey });
    assertWatsonError(await get('cursor=bm90LWEtY3Vyc29y'), 400, /Invalid cursor/);
    assertWatsonError(await get('sort=log_id'), 400, /sort/);
    assertWatsonError(await get('page_limit=0'), 400, /page_limit/);
    assertWatsonError(await get('page_limit=5000'), 400, /page_limit/);
  });

  test('an invalid workspace is refused whole', async () => {
    assertWatsonError(await post(`/v1/workspaces?${V}`, { body: { name: 'bad', intents: [{ intent: 'has space' }] } }), 400, /intent/);
    assertWatsonError(await post(`/v1/workspaces?${V}`, { body: { name: 'bad\nname' } }), 400, /name/);
    const list = await call(lethe.url, 'GET', `/v1/workspaces?${V}`, { key: lethe.adminKey });
    assert.equal(list.body.workspaces.length, 1);
  });

  test('unknown routes and resources are 404 in the Watson format', async () => {
    assertWatsonError(await call(lethe.url, 'GET', '/v1/nothing-here', { key: lethe.adminKey }), 404, /not found/i);
    assertWatsonError(await post(`/v1/workspaces/does-not-exist/message?${V}`, { body: {} }), 404, /workspace/);
    assertWatsonError(await post(`/v2/assistants/nope/sessions?${V}`, { body: {} }), 404, /assistant/);
  });

  test('the server is still healthy and consistent after all of it', async () => {
    const ok = await post(`/v1/workspaces/${ws}/message?${V}`, { body: { input: { text: 'what is my balance' } } });
    assert.equal(ok.status, 200);
    assert.equal(await logCount(), 1);
  });
});

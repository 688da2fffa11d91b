import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bankingWorkspace } from '../fixtures/workspace.js';
import { call } from '../helpers/http.js';
import { startLethe, type LetheProcess } from '../helpers/lethe-process.js';
import { waitFor } from '../helpers/wait.js';

const V = 'version=2021-06-14';
const ROUTE = '"route":"/v1/workspaces/:workspace_id/message"';
const accessLines = (lethe: LetheProcess) => lethe.output().split('\n').filter((l) => l.includes('"msg":"request"'));

for (const level of ['info', 'debug'] as const) {
  describe(`access log at LETHE_LOG_LEVEL=${level}`, () => {
    let lethe: LetheProcess;
    before(async () => { lethe = await startLethe({ env: { LETHE_LOG_LEVEL: level } }); });
    after(async () => {
      await lethe.stop();
      lethe.cleanup();
    });

    test(level === 'info' ? 'logs failed requests only' : 'logs every request', async () => {
      const ws = (await call(lethe.url, 'POST', `/v1/workspaces?${V}`, { key: lethe.adminKey, body: bankingWorkspace })).body.workspace_id;
      const path = `/v1/workspaces/${ws}/message?${V}`;
      assert.equal((await call(lethe.url, 'POST', path, { key: lethe.adminKey, body: { input: { text: 'hello' } } })).status, 200);
      assert.equal((await call(lethe.url, 'POST', path, { key: lethe.adminKey, body: { input: { text: 'hello again' } } })).status, 200);
      assert.equal((await call(lethe.url, 'POST', path, { key: 'not-a-key', body: { input: { text: 'hello' } } })).status, 401);
      // Lines are buffered and flushed within 250 ms.
      const lines = await waitFor(async () => accessLines(lethe), (l) => l.some((x) => x.includes('"status":401')));
      const failed = lines.filter((l) => l.includes('"status":401'));
      assert.equal(failed.length, 1);
      assert.match(failed[0]!, new RegExp(`"level":30.*${ROUTE.replace(/[/:]/g, (c) => `\\${c}`)}`), 'a failure is logged at info, by route pattern');
      // The first message compiles the skill and may take over a second (then it is logged at info as slow).
      const ok = lines.filter((l) => l.includes(ROUTE) && l.includes('"status":200'));
      const slow = (l: string) => Number(/"ms":(\d+)/.exec(l)![1]) >= 1000;
      assert.equal(ok.length, level === 'debug' ? 2 : ok.filter(slow).length, 'successful requests are logged at info only when slow');
      for (const l of ok) assert.match(l, slow(l) ? /"level":30/ : /"level":20/);
      for (const line of lines) assert.equal(line.includes(ws) || line.includes('hello') || line.includes('version='), false, line);
    });
  });
}

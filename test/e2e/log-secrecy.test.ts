import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { bankingWorkspace } from '../fixtures/workspace.js';
import { call } from '../helpers/http.js';
import { runCli, startLethe } from '../helpers/lethe-process.js';
import { finishedJob } from '../helpers/wait.js';

const V = 'version=2021-06-14';
const mark = (what: string) => `${what}${randomBytes(6).toString('hex')}`;

for (const level of ['info', 'debug']) {
  test(`at log level ${level}, no API key, message text or user identifier reaches the server's output`, async () => {
    const adminKey = mark('adminsecret');
    const lethe = await startLethe({ adminKey, env: { LETHE_LOG_LEVEL: level } });
    try {
      const created = await runCli(lethe.env, ['keys', 'create', '--name', 'writer', '--privileges', 'message,analytics:write,logs:read']);
      const writerKey = JSON.parse(created.stdout).secret as string;
      const secrets = {
        adminKey, writerKey, wrongKey: mark('lethe_wrongkey'), text: mark('mytexthere'), customer: mark('customerid'), user: mark('userid'),
        visitor: mark('visitorid'), eventValue: mark('eventvalue'), query: mark('searchquery'), filterValue: mark('filtervalue'),
      };
      const key = { key: writerKey };
      const ws = (await call(lethe.url, 'POST', `/v1/workspaces?${V}`, { key: adminKey, body: bankingWorkspace })).body.workspace_id;
      const assistant = (await call(lethe.url, 'POST', '/api/v1/assistants', { key: adminKey, body: { workspace_id: ws } })).body.assistant_id;
      const metadata = { 'x-watson-metadata': `customer_id=${secrets.customer}` };

      // Successes, in every family.
      assert.equal((await call(lethe.url, 'POST', `/v1/workspaces/${ws}/message?${V}`, { ...key, body: { input: { text: `balance ${secrets.text}` }, context: { metadata: { user_id: secrets.user } } }, headers: metadata })).status, 200);
      assert.equal((await call(lethe.url, 'POST', `/v2/assistants/${assistant}/message?${V}`, { ...key, body: { input: { text: secrets.text }, context: { global: { system: { user_id: secrets.user } } } }, headers: metadata })).status, 200);
      const coveo = { headers: { authorization: `Bearer ${writerKey}` } };
      assert.equal((await call(lethe.url, 'POST', `/rest/ua/v15/analytics/search?visitor=${secrets.visitor}`, { ...coveo, body: { searchQueryUid: 'sq', queryText: secrets.query, actionCause: 'searchboxSubmit', responseTime: 1, language: 'en', username: secrets.user } })).status, 200);
      assert.equal((await call(lethe.url, 'POST', `/rest/ua/v15/analytics/custom?visitor=${secrets.visitor}`, { ...coveo, body: { eventType: 't', eventValue: secrets.eventValue } })).status, 200);
      assert.equal((await call(lethe.url, 'POST', `/rest/ua/v15/analytics/collect?access_token=${writerKey}`, { body: { t: 'event', cid: secrets.visitor, ec: secrets.eventValue } })).status, 200);
      assert.equal((await call(lethe.url, 'GET', `/v1/workspaces/${ws}/logs?${V}&filter=customer_id::${secrets.filterValue}`, key)).status, 200);

      // Failures: a wrong key, a refused header, a refused body, a malformed filter, deletion of the subject.
      assert.equal((await call(lethe.url, 'GET', `/v1/workspaces?${V}`, { key: secrets.wrongKey })).status, 401);
      assert.equal((await call(lethe.url, 'GET', `/v1/workspaces?${V}`, { key: secrets.wrongKey, basic: false })).status, 401);
      assert.equal((await call(lethe.url, 'POST', `/v1/workspaces/${ws}/message?${V}`, { ...key, body: { input: { text: secrets.text } }, headers: { 'x-watson-metadata': `customer_id=${secrets.customer}=x` } })).status, 400);
      assert.equal((await call(lethe.url, 'POST', `/v1/workspaces/${ws}/message?${V}`, { ...key, rawBody: `{"input":{"text":"${secrets.text}"` })).status, 400);
      assert.equal((await call(lethe.url, 'GET', `/v1/workspaces/${ws}/logs?${V}&filter=customer_id::"${secrets.filterValue}`, key)).status, 400);
      assert.equal((await call(lethe.url, 'GET', `/v1/no-such-route/${secrets.customer}?customer_id=${secrets.customer}`, key)).status, 404);
      const del = await call(lethe.url, 'DELETE', `/v1/user_data?${V}&customer_id=${secrets.customer}`, { key: adminKey });
      assert.equal(del.status, 202);
      assert.equal((await finishedJob(lethe.url, adminKey, del.headers.get('location')!)).status, 'completed');
      await lethe.stop();

      const output = lethe.output();
      assert.match(output, /"msg":"request"/, 'requests were logged');
      for (const [name, value] of Object.entries(secrets)) assert.ok(!output.includes(value), `${name} appears in the server output`);
    } finally {
      await lethe.stop();
      lethe.cleanup();
    }
  });
}

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import type AssistantV1 from 'ibm-watson/assistant/v1.js';
import type AssistantV2 from 'ibm-watson/assistant/v2.js';
import { CoveoAnalyticsClient } from 'coveo.analytics';
import { call } from '../helpers/http.js';
import { runCli, startLethe, type LetheProcess } from '../helpers/lethe-process.js';
import { describeEachEngine, executeStatements, freshDatabase, queryRows, storedContent, type FreshDatabase } from '../helpers/test-engines.js';
import { bankingAssistant, WATSON_VERSION as VERSION } from '../helpers/watson-assistant.js';
import { finishedJob } from '../helpers/wait.js';

const TAG = randomUUID().slice(0, 8);

type Deletion = 'watson-v1' | 'watson-v2' | 'coveo-alldata' | 'subjects-api' | 'cli-delete-user' | 'cli-dsr-delete';

interface Person {
  label: string;
  /** The ways the person's identifier is written; after NFC they are one. */
  forms: string[];
  /** `customer`: labelled as a Watson customer ID only; `everywhere`: also as v1/v2 user ID and Coveo user. */
  seeded: 'customer' | 'everywhere';
  /** How the person is deleted; none for the people whose data must stay. */
  deletion?: Deletion;
  /** Text only this person's records hold. */
  secret: string;
}

const person = (label: string, forms: string[], seeded: Person['seeded'], deletion?: Deletion): Person =>
  ({ label, forms, seeded, ...(deletion ? { deletion } : {}), secret: `zq${label.replace(/[^a-z]/gi, '').toLowerCase()}x${TAG}` });

const PEOPLE: Person[] = [
  person('josé, é precomposed and decomposed', [`jos\u00e9-${TAG}`, `jose\u0301-${TAG}`], 'customer', 'watson-v1'),
  person('CJK', [`山田太郎-${TAG}`], 'customer', 'watson-v2'),
  person('sharp s and n tilde', [`Straße-n\u0303-${TAG}`], 'customer', 'cli-delete-user'),
  person('four-byte emoji', [`😀👩‍👩‍👧-${TAG}`], 'everywhere', 'coveo-alldata'),
  person('mixed case', [`MiXeD-${TAG}`], 'everywhere', 'subjects-api'),
  person('its lower-case twin', [`mixed-${TAG}`], 'everywhere'),
  person('Latin alice', [`alice-${TAG}`], 'everywhere', 'cli-dsr-delete'),
  person('Cyrillic look-alike', [`\u0430lice-${TAG}`], 'everywhere'),
  person('the trimmed twin of a padded ID', [`padded-${TAG}`], 'everywhere'),
];
const PADDED = ` padded-${TAG} `;

/**
 * Item 4 of issue 15: one encoding and normalisation rule for every identifier, so that a deletion through any API
 * finds a person whatever way their ID was written and sent, and every other route then finds nothing of them,
 * while people whose IDs merely look alike keep their data.
 */
describeEachEngine('identifiers: one rule on every surface, and a deletion by any API leaves nothing of the person', (engine) => {
  let database: FreshDatabase;
  let lethe: LetheProcess;
  let v1: AssistantV1;
  let v2: AssistantV2;
  let workspaceId: string;
  let assistantId: string;
  const held = new Map<Person, Holdings>();

  /** v1 message with the X-Watson-Metadata bytes exactly as given (what curl or a Go client sends for UTF-8 text). */
  const rawHeaderMessage = (metadata: Buffer, text: string) => new Promise<string>((resolve, reject) => {
    const req = request(`${lethe.url}/v1/workspaces/${workspaceId}/message?version=${VERSION}`, {
      method: 'POST',
      // Node writes a header string one byte per character: a Latin-1 string of the bytes sends them unchanged.
      headers: { authorization: `Bearer ${lethe.adminKey}`, 'content-type': 'application/json', 'x-watson-metadata': metadata.toString('latin1') },
    }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => resolve(`${res.statusCode} ${res.statusCode === 200 ? '' : body}`.trim()));
    });
    req.on('error', reject);
    // A Buffer: a string body would be written together with the header, both encoded as UTF-8.
    req.end(Buffer.from(JSON.stringify({ input: { text } })));
  });
  const coveo = (path: string, body: unknown) => call(lethe.url, 'POST', `/rest/ua/v15/analytics/${path}`, { key: lethe.adminKey, basic: false, body });
  const find = (kind: string, value: string) => call(lethe.url, 'POST', '/api/v1/subjects/find', { key: lethe.adminKey, body: { kind, value } });
  const logsWhere = async (filter: string) => {
    const res = await call(lethe.url, 'GET', `/api/v1/logs?page_limit=1000&filter=${encodeURIComponent(filter)}`, { key: lethe.adminKey });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.logs as { input_text: string }[];
  };
  const quoted = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;

  /** What each route finds of the person, named by each way of writing their ID. */
  async function lookFor(p: Person): Promise<Holdings> {
    const found: Holdings = [];
    for (const form of p.forms) {
      const customer = await find('customer_id', form);
      const user = await find('user_id', form);
      assert.equal(customer.status, 200, JSON.stringify(customer.body));
      const access = await call(lethe.url, 'POST', '/api/v1/subjects/access', { key: lethe.adminKey, body: { kind: 'user_id', value: form } });
      const overview = await call(lethe.url, 'GET', `/rest/ua/v15/users/${encodeURIComponent(form)}/overview`, { key: lethe.adminKey, basic: false });
      assert.equal(overview.status, 200, JSON.stringify(overview.body));
      found.push({
        'find customer_id': customer.body.holdings, 'find user_id': user.body.holdings,
        'access logs': access.body.logs.length, 'access events': access.body.events.length,
        'logs filtered by customer_id': (await logsWhere(`customer_id::${quoted(form)}`)).length,
        'logs filtered by user_id': (await logsWhere(`request.context.metadata.user_id::${quoted(form)}|request.context.global.system.user_id::${quoted(form)}`)).length,
        'Coveo overview events': overview.body.events.length, 'Coveo overview logs': overview.body.conversationLogs.length,
      });
    }
    return found;
  }

  before(async () => {
    database = await freshDatabase(engine, 'identifiers');
    lethe = await startLethe({ databaseUrl: database.url });
    ({ v1, v2, workspaceId, assistantId } = await bankingAssistant(lethe));
    for (const p of PEOPLE) {
      for (const [i, form] of p.forms.entries()) {
        // The SDK sends header bytes as Latin-1 and drops what Latin-1 cannot hold, so it percent-encodes (README).
        const sdk = await v1.message({ workspaceId, input: { text: `balance ${p.secret}` }, headers: { 'X-Watson-Metadata': `customer_id=${encodeURIComponent(form)}` } });
        assert.equal(sdk.status, 200);
        assert.equal(await rawHeaderMessage(Buffer.from(`customer_id=${form}`), `transfer ${p.secret}`), '200', 'UTF-8 header bytes');
        if (p.seeded === 'customer') continue;
        const byUser = await v1.message({ workspaceId, input: { text: `hello ${p.secret}` }, context: { metadata: { user_id: form } } as never });
        assert.equal(byUser.result.user_id, form.normalize('NFC'));
        const stateless = await v2.messageStateless({ assistantId, environmentId: assistantId, userId: form, input: { text: `bye ${p.secret}` } });
        assert.equal(stateless.status, 200);
        await new CoveoAnalyticsClient({ token: lethe.adminKey, endpoint: `${lethe.url}/rest/ua` }).sendSearchEvent({
          searchQueryUid: randomUUID(), queryText: `search ${p.secret}`, actionCause: 'searchboxSubmit', responseTime: 1, language: 'en', username: form,
        });
        const collect = await coveo('collect', { t: 'event', uid: form, cid: randomUUID(), el: `collect ${p.secret}`, ec: `n${i}` });
        assert.equal(collect.status, 200, JSON.stringify(collect.body));
      }
    }
    // What every route finds of each person before any deletion: the tests compare against it.
    for (const p of PEOPLE) held.set(p, await lookFor(p));
  });
  after(async () => {
    await lethe.stop();
    lethe.cleanup();
    await database.drop();
  });

  test('each person\'s data goes in through every API that takes an identifier, under one NFC identifier', () => {
    for (const p of PEOPLE) {
      const found = held.get(p)!;
      const writes = p.forms.length;
      const expected = p.seeded === 'customer'
        ? { customer: { logs: 2 * writes, events: 0, exports: 0 }, user: { logs: 2 * writes, events: 0, exports: 0 }, events: 0, userLogs: 0 }
        : { customer: { logs: 2 * writes, events: 0, exports: 0 }, user: { logs: 4 * writes, events: 2 * writes, exports: 0 }, events: 2 * writes, userLogs: 2 * writes };
      for (const [i, f] of found.entries()) {
        assert.deepEqual(f['find customer_id'], expected.customer, `${p.label}, form ${i}`);
        assert.deepEqual(f['find user_id'], expected.user, `${p.label}, form ${i}: a user ID also covers its customer-ID logs`);
        assert.equal(f['logs filtered by customer_id'], 2 * writes, p.label);
        assert.equal(f['logs filtered by user_id'], expected.userLogs, p.label);
        assert.equal(f['Coveo overview events'], expected.events, p.label);
      }
    }
  });

  test('an ID that begins or ends with whitespace is refused by every API, never trimmed into another person', async () => {
    const encoded = encodeURIComponent(PADDED);
    const header = await v1.message({ workspaceId, input: { text: 'x' }, headers: { 'X-Watson-Metadata': `customer_id=${encoded}` } }).catch((e) => e);
    assert.equal(header.status, 400);
    assert.match(header.body, /customer_id in X-Watson-Metadata must not begin or end with whitespace/);
    const user = await v1.message({ workspaceId, input: { text: 'x' }, context: { metadata: { user_id: PADDED } } as never }).catch((e) => e);
    assert.equal(user.status, 400);
    const stateless = await v2.messageStateless({ assistantId, environmentId: assistantId, userId: PADDED, input: { text: 'x' } }).catch((e) => e);
    assert.equal(stateless.status, 400);
    const search = await coveo('search', { searchQueryUid: randomUUID(), queryText: 'x', actionCause: 'searchboxSubmit', responseTime: 1, username: PADDED });
    assert.deepEqual([search.status, search.body.type], [400, 'InvalidObject']);
    const batch = await coveo('searches', [
      { searchQueryUid: randomUUID(), queryText: 'first of a batch', actionCause: 'searchboxSubmit', responseTime: 1, username: `mixed-${TAG}` },
      { searchQueryUid: randomUUID(), queryText: 'x', actionCause: 'searchboxSubmit', responseTime: 1, username: PADDED },
    ]);
    assert.equal(batch.status, 400, 'one refused item refuses the batch');
    assert.equal((await coveo('collect', { t: 'event', uid: PADDED })).status, 400);

    assert.equal((await v1.deleteUserData({ customerId: PADDED }).catch((e) => e)).status, 400);
    assert.equal((await find('customer_id', PADDED)).status, 400);
    assert.equal((await call(lethe.url, 'POST', '/api/v1/subjects/delete', { key: lethe.adminKey, body: { kind: 'user_id', value: PADDED } })).status, 400);
    const alldata = await call(lethe.url, 'DELETE', `/rest/ua/v15/users/${encoded}/alldata`, { key: lethe.adminKey, basic: false });
    assert.deepEqual([alldata.status, alldata.body.type], [400, 'InvalidObject']);
    const cli = await runCli(lethe.env, ['delete-user', '--customer-id', PADDED, '--no-wait']);
    assert.equal(cli.code, 1);
    assert.match(cli.stderr, /customer_id must not begin or end with whitespace/);
    const trimmedTwin = PEOPLE.find((p) => p.forms[0] === `padded-${TAG}`)!;
    assert.deepEqual(await lookFor(trimmedTwin), held.get(trimmedTwin), 'nothing was stored under, or deleted from, the trimmed ID');
    assert.deepEqual(await lookFor(PEOPLE.find((p) => p.forms[0] === `mixed-${TAG}`)!), held.get(PEOPLE.find((p) => p.forms[0] === `mixed-${TAG}`)!),
      'the valid first item of the refused batch was not stored');
  });

  test('deleting each person through a different API leaves nothing of them on any route or in the database; look-alikes keep theirs', async () => {
    const jobs: string[] = [];
    for (const p of PEOPLE.filter((x) => x.deletion)) {
      // Named by the last way of writing it: for josé, decomposed, while most of his data was sent precomposed.
      const name = p.forms[p.forms.length - 1]!;
      switch (p.deletion) {
        case 'watson-v1': jobs.push((await v1.deleteUserData({ customerId: name })).headers.location as string); break;
        case 'watson-v2': jobs.push((await v2.deleteUserData({ customerId: name })).headers.location as string); break;
        case 'coveo-alldata': {
          const res = await call(lethe.url, 'DELETE', `/rest/ua/v15/users/${encodeURIComponent(name)}/alldata`, { key: lethe.adminKey, basic: false });
          assert.equal(res.status, 202, JSON.stringify(res.body));
          assert.equal(res.body.userId, name.normalize('NFC'));
          jobs.push(res.headers.get('location')!);
          break;
        }
        case 'subjects-api': {
          const res = await call(lethe.url, 'POST', '/api/v1/subjects/delete', { key: lethe.adminKey, body: { kind: 'user_id', value: name } });
          assert.equal(res.status, 202, JSON.stringify(res.body));
          jobs.push(res.body.job_id);
          break;
        }
        case 'cli-delete-user':
        case 'cli-dsr-delete': {
          const args = p.deletion === 'cli-delete-user' ? ['delete-user', '--customer-id', name] : ['dsr', 'delete', '--user-id', name];
          const res = await runCli(lethe.env, args);
          assert.equal(res.code, 0, res.stderr);
          jobs.push(JSON.parse(res.stdout).job_id);
          break;
        }
      }
    }
    for (const id of jobs) {
      const job = await finishedJob(lethe.url, lethe.adminKey, id);
      assert.equal(job.status, 'completed', JSON.stringify(job));
      assert.deepEqual(job.verification, { logs: 0, events: 0, exports: 0 });
      assert.ok(job.deleted.logs > 0, `job ${id} found the person's logs: ${JSON.stringify(job)}`);
    }

    const content = await storedContent(lethe.databaseUrl);
    for (const p of PEOPLE) {
      const found = await lookFor(p);
      if (!p.deletion) {
        assert.deepEqual(found, held.get(p), `${p.label}: kept everything`);
        assert.ok(content.includes(p.secret), `${p.label}: their text is still stored`);
        continue;
      }
      for (const [i, f] of found.entries()) {
        assert.deepEqual(f, {
          'find customer_id': { logs: 0, events: 0, exports: 0 }, 'find user_id': { logs: 0, events: 0, exports: 0 },
          'access logs': 0, 'access events': 0, 'logs filtered by customer_id': 0, 'logs filtered by user_id': 0,
          'Coveo overview events': 0, 'Coveo overview logs': 0,
        }, `${p.label}, form ${i}, after ${p.deletion}`);
      }
      assert.equal(content.includes(p.secret), false, `${p.label}: none of their text is left in the database`);
      for (const form of new Set([...p.forms, ...p.forms.map((f) => f.normalize('NFC')), ...p.forms.map((f) => f.normalize('NFD'))])) {
        assert.equal(content.includes(Buffer.from(form)), false, `${p.label}: the identifier ${JSON.stringify(form)} is not left in the database`);
      }
    }
  });

  test('subject values stored before the rule (not NFC) are brought to NFC once, so the same requests find and delete them', async () => {
    const zoe = `zoe\u0308-${TAG}`;
    const nfc = zoe.normalize('NFC');
    const queuedId = `queued\u00e9-${TAG}`;
    for (const form of [nfc, zoe, queuedId]) {
      await v1.message({ workspaceId, input: { text: `legacy zqlegacy${TAG}` }, headers: { 'X-Watson-Metadata': `customer_id=${encodeURIComponent(form)}` } });
    }
    await lethe.stop();
    // A job queued by an earlier version holds the value as it was named (queued here by the CLI, with no server running).
    const queued = await runCli(lethe.env, ['delete-user', '--customer-id', queuedId, '--no-wait']);
    const jobId = JSON.parse(queued.stdout).job_id;
    // As an earlier version stored them: one log under the decomposed form only, the other under both forms.
    const [first, second] = (await queryRows(database.url, `SELECT seq FROM log_subjects WHERE value = '${nfc}' ORDER BY seq`)).map((r) => String(r.seq));
    await executeStatements(database.url, [
      `UPDATE log_subjects SET value = '${zoe}' WHERE value = '${nfc}' AND seq = ${first}`,
      `INSERT INTO log_subjects (instance_id, kind, value, seq) VALUES ('default', 'customer_id', '${zoe}', ${second})`,
      `UPDATE deletion_jobs SET subject_value = '${queuedId.normalize('NFD')}' WHERE job_id = '${jobId}'`,
      'DELETE FROM schema_migrations WHERE version = 11',
    ]);

    lethe = await startLethe({ dir: lethe.dir, adminKey: lethe.adminKey, databaseUrl: database.url });
    const rows = await queryRows(database.url, `SELECT value, seq FROM log_subjects WHERE value IN ('${nfc}', '${zoe}') ORDER BY seq`);
    assert.deepEqual(rows.map((r) => [r.value, String(r.seq)]), [[nfc, first], [nfc, second]], 'one NFC entry per log');
    const resumed = await finishedJob(lethe.url, lethe.adminKey, jobId);
    assert.deepEqual([resumed.status, resumed.deleted.logs], ['completed', 1], 'the queued job looked for the NFC value');
    assert.deepEqual((await find('customer_id', zoe)).body.holdings, { logs: 2, events: 0, exports: 0 });
    const res = await call(lethe.url, 'POST', '/api/v1/subjects/delete', { key: lethe.adminKey, body: { kind: 'customer_id', value: nfc } });
    assert.deepEqual((await finishedJob(lethe.url, lethe.adminKey, res.body.job_id)).deleted.logs, 2);
    assert.equal((await storedContent(lethe.databaseUrl)).includes(`zqlegacy${TAG}`), false);
  });
});

type Holdings = Record<string, unknown>[];

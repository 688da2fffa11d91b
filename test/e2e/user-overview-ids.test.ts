import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call } from '../helpers/http.js';
import { startLethe, type LetheProcess } from '../helpers/lethe-process.js';
import { describeEachEngine, freshDatabase, type FreshDatabase } from '../helpers/test-engines.js';
import { createTarget, type TrafficTarget } from '../helpers/traffic.js';

const V = 'version=2021-06-14';

/**
 * User IDs that are syntax in one of Lethe's two filter languages (Watson's logs filter, Coveo's read filter) or in
 * SQL LIKE, and IDs one character away from them: each must be found as exactly itself.
 */
const HOSTILE_IDS = ['|language::!x\\', 'o"brien', 'a*', 'x~2', '(a|b)', 'rtl\u200fid', '\\', '\\\\"', 'a==b', 'c =@ "d"', 'e IN ["f"]',
  'g, language::en', '%', '_', '"', 'customer_id::*', 'ünï cødé 😀'];
const DECOYS = ['o"brie', 'a', 'ab', 'x~1', 'x', '(a', 'b', 'rtl', 'id', '\\\\', 'a=b', 'language::en', '', 'x2'];

describeEachEngine('the Coveo user overview finds each user ID as a value, whatever it holds', (engine) => {
  let database: FreshDatabase;
  let lethe: LetheProcess;
  let target: TrafficTarget;
  let overviewKey: string;

  before(async () => {
    database = await freshDatabase(engine, 'overview-ids');
    lethe = await startLethe({ databaseUrl: database.url, env: { LETHE_RATE_LIMIT_PER_MINUTE: '0' } });
    target = await createTarget(lethe.url, lethe.adminKey);
    // The probe's key: it may read overviews, nothing else.
    const key = await call(lethe.url, 'POST', '/api/v1/keys', { key: lethe.adminKey, body: { name: 'overview', privileges: ['analytics:administrate'] } });
    assert.equal(key.status, 201, JSON.stringify(key.body));
    overviewKey = key.body.secret;
    for (const [i, userId] of [...HOSTILE_IDS, ...DECOYS].entries()) {
      // A conversation log labelled with the user, and an analytics event attributed to them, each carrying a marker.
      const body = { input: { text: `message of user ${i}` }, ...(userId ? { user_id: userId } : {}) };
      const m = await call(lethe.url, 'POST', `/v2/assistants/${target.assistantId}/message?${V}`, { key: lethe.adminKey, body });
      assert.equal(m.status, 200, JSON.stringify(m.body));
      if (!userId) continue;
      const e = await call(lethe.url, 'POST', '/rest/ua/v15/analytics/custom?visitor=overview-visitor', {
        key: lethe.adminKey, basic: false, body: { eventType: 'probe', eventValue: `event of user ${i}`, username: userId },
      });
      assert.equal(e.status, 200, JSON.stringify(e.body));
    }
  });
  after(async () => {
    await lethe?.stop();
    lethe?.cleanup();
    await database?.drop();
  });

  test('each hostile ID gets exactly its own log and event: never another user\'s, never a 400', async () => {
    for (const [i, userId] of HOSTILE_IDS.entries()) {
      const r = await call(lethe.url, 'GET', `/rest/ua/v15/users/${encodeURIComponent(userId)}/overview`, { key: overviewKey, basic: false });
      assert.equal(r.status, 200, `${JSON.stringify(userId)}: ${r.status} ${JSON.stringify(r.body)}`);
      assert.deepEqual(r.body.conversationLogs.map((l: { inputText: string }) => l.inputText), [`message of user ${i}`], JSON.stringify(userId));
      assert.deepEqual(r.body.events.map((e: { payload: { eventValue: string } }) => e.payload.eventValue), [`event of user ${i}`], JSON.stringify(userId));
    }
  });

  test('an ID that cannot name a person (a control character) is refused with a 400 in Coveo\'s format, not looked up', async () => {
    for (const userId of ['nul\u0000id', 'line\nbreak']) {
      const r = await call(lethe.url, 'GET', `/rest/ua/v15/users/${encodeURIComponent(userId)}/overview`, { key: overviewKey, basic: false });
      assert.equal(r.status, 400, JSON.stringify(userId));
      assert.equal(typeof r.body.message, 'string');
      assert.equal(typeof r.body.type, 'string');
    }
  });

  test('an ID nobody has finds nothing, however much of the language it speaks', async () => {
    for (const userId of ['*', '|', 'language::fr', 'customer_id::*|language::!x', '" OR "1"="1', 'a~2', '(', '%25']) {
      const r = await call(lethe.url, 'GET', `/rest/ua/v15/users/${encodeURIComponent(userId)}/overview`, { key: overviewKey, basic: false });
      assert.equal(r.status, 200, JSON.stringify(userId));
      assert.deepEqual([r.body.conversationLogs.length, r.body.events.length], [0, 0], JSON.stringify(userId));
    }
  });
});

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { call } from '../helpers/http.js';
import { runCli, startLethe, type LetheProcess } from '../helpers/lethe-process.js';
import { describeEachEngine, execute, freshDatabase, storedContent, type FreshDatabase } from '../helpers/test-engines.js';

/** A key's listing shows a few characters of its secret, and the database holds no more, whatever the key. */
describeEachEngine('API key prefixes', (engine) => {
  // An operator's own key, as short as LETHE_ADMIN_KEY allows: every character kept in clear would shorten a guess.
  const chosen = `Q${randomBytes(8).toString('hex').slice(0, 15)}`;
  let database: FreshDatabase;
  let lethe: LetheProcess;
  let generated: { key_id: string; secret: string };

  before(async () => {
    database = await freshDatabase(engine, 'key-prefix');
    lethe = await startLethe({ databaseUrl: database.url, adminKey: chosen });
    generated = (await call(lethe.url, 'POST', '/api/v1/keys', { key: chosen, body: { name: 'reader', privileges: ['logs:read'] } })).body;
  });
  after(async () => { await lethe.stop(); lethe.cleanup(); await database.drop(); });

  const listings = async () => {
    const api = (await call(lethe.url, 'GET', '/api/v1/keys', { key: chosen })).body.keys as { name: string; prefix: string }[];
    const cli = JSON.parse((await runCli(lethe.env, ['keys', 'list'])).stdout) as { name: string; prefix: string }[];
    return { api: api.map((k) => [k.name, k.prefix]), cli: cli.map((k) => [k.name, k.prefix]) };
  };
  const expected = () => [['admin (LETHE_ADMIN_KEY)', chosen.slice(0, 4)], ['reader', generated.secret.slice(0, 10)]];

  test('a chosen LETHE_ADMIN_KEY shows 4 characters, a generated key `lethe_` and 4; the API, CLI and database hold no more', async () => {
    assert.equal(chosen.length, 16);
    assert.match(generated.secret, /^lethe_/);
    assert.deepEqual(await listings(), { api: expected(), cli: expected() });
    const stored = (await storedContent(database.url)).toString('latin1');
    assert.ok(!stored.includes(chosen.slice(0, 5)), 'no fifth character of the chosen key is stored');
    assert.ok(!stored.includes(generated.secret.slice(0, 11)), 'no fifth random character of the generated key is stored');
  });

  test('keys stored by an earlier version with 12 clear characters are cut down when the server next starts', async () => {
    await lethe.stop();
    // What versions before the migration stored: the first 12 characters of every secret.
    await execute(database.url, "UPDATE api_keys SET prefix = $1 WHERE name = 'admin (LETHE_ADMIN_KEY)'", [chosen.slice(0, 12)]);
    await execute(database.url, "UPDATE api_keys SET prefix = $1 WHERE name = 'reader'", [generated.secret.slice(0, 12)]);
    await execute(database.url, 'DELETE FROM schema_migrations WHERE version = 10');
    lethe = await startLethe({ dir: lethe.dir, databaseUrl: database.url, adminKey: chosen });
    assert.deepEqual(await listings(), { api: expected(), cli: expected() });
    const stored = (await storedContent(database.url)).toString('latin1');
    assert.ok(!stored.includes(chosen.slice(0, 5)), 'the old prefix of the chosen key is gone from the database files');
    assert.ok(!stored.includes(generated.secret.slice(0, 11)));
  });
});

import { readFileSync, existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { startLethe } from '../test/helpers/lethe-process.js';
import { call } from '../test/helpers/http.js';
import { bankingWorkspace } from '../test/fixtures/workspace.js';
const lethe = await startLethe();
const V = 'version=2021-06-14';
const ws = (await call(lethe.url, 'POST', `/v1/workspaces?${V}`, { key: lethe.adminKey, body: bankingWorkspace })).body.workspace_id;
await call(lethe.url, 'POST', `/v1/workspaces/${ws}/message?${V}`, { key: lethe.adminKey, headers: { 'x-watson-metadata': 'customer_id=qqcustqq' }, body: { input: { text: 'balance' }, context: { metadata: { user_id: 'qquserqq' } } } });
const del = await call(lethe.url, 'DELETE', `/v1/user_data?${V}&customer_id=qqcustqq`, { key: lethe.adminKey });
await new Promise((r) => setTimeout(r, 1500));
console.log((await call(lethe.url, 'GET', del.headers.get('location')!, { key: lethe.adminKey })).body.status);
for (const f of [lethe.dbPath, lethe.dbPath + '-wal']) {
  if (!existsSync(f)) continue;
  const b = readFileSync(f); let at = b.indexOf(process.env.M ?? 'qqcustqq');
  console.log(f, 'size', b.length, 'at', at, at >= 0 ? 'page ' + (Math.floor(at / 4096) + 1) : '');
  if (at >= 0) console.log(JSON.stringify(b.subarray(at - 60, at + 40).toString('latin1')));
}
const db = new Database(lethe.dbPath, { readonly: true });
console.log(db.prepare("select name, rootpage from sqlite_master where rootpage>0").all().map((r: any) => r.name + ':' + r.rootpage).join(' '));
db.close();
await lethe.stop(); lethe.cleanup();

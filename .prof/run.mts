import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { bankingWorkspace } from '/work/main/test/fixtures/workspace.js';
import { call } from '/work/main/test/helpers/http.js';
const key = 'bench-admin-key-0123456789';
const env = { ...process.env, PORT: '18090', LETHE_DATABASE_URL: 'sqlite:/tmp/prof/p.db', LETHE_ADMIN_KEY: key, LETHE_LOG_LEVEL: process.env.LL ?? 'info', ...(process.env.SYNC ? { LETHE_SQLITE_SYNCHRONOUS: process.env.SYNC } : {}) };
const child = spawn(process.execPath, [...(process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []), ...(process.env.SEMI ? [`--max-semi-space-size=${process.env.SEMI}`] : []), 'dist/cli/main.js', 'serve'], { cwd: '/work/main', env, stdio: ['ignore', 'ignore', 'inherit'] });
await new Promise((r) => setTimeout(r, 3000));
const url = 'http://127.0.0.1:18090';
const ws = (await call(url, 'POST', '/v1/workspaces?version=2021-06-14', { key, body: bankingWorkspace })).body.workspace_id;
import { readFileSync } from 'node:fs';
const cpu = () => { const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
import { readdirSync } from 'node:fs';
const threadCpu = () => Object.fromEntries(readdirSync(`/proc/${child.pid}/task`).map((t) => { const st = readFileSync(`/proc/${child.pid}/task/${t}/stat`, 'utf8'); const name = st.slice(st.indexOf('(') + 1, st.indexOf(')')); const f = st.split(') ')[1]!.split(' '); return [`${t}:${name}`, (Number(f[11]) + Number(f[12])) * 10]; }));
const t0 = threadCpu();
const c0 = cpu();
if (process.env.STRACE) spawn('/work/main/.prof/strace.sh', [String(child.pid), '4'], { stdio: 'inherit' });
const r = await autocannon({ url: `${url}/v1/workspaces/${ws}/message?version=2021-06-14`, connections: Number(process.env.CONN ?? 50), duration: 8, method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`apikey:${key}`).toString('base64')}`, 'x-watson-metadata': 'customer_id=b' },
  body: JSON.stringify({ input: { text: 'what is my balance' } }) });
const c1 = cpu();
const t1 = threadCpu();
for (const k of Object.keys(t1)) { const d = t1[k]! - (t0[k] ?? 0); if (d > 50) console.log('  thread', k, d, 'ms'); }
console.log('server cpu ms', c1 - c0, 'us/req', ((c1 - c0) * 1000 / r.requests.total).toFixed(1), 'rps', r.requests.average, 'p99', r.latency.p99, 'non2xx', r.non2xx);
child.kill('SIGINT');
await new Promise((r) => child.once('exit', r));

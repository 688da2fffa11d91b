import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
const key = 'bench-admin-key-0123456789';
const env = { ...process.env, PORT: '18091', LETHE_DATABASE_URL: 'sqlite:/tmp/prof/f.db', LETHE_ADMIN_KEY: key, LETHE_LOG_LEVEL: process.env.LL ?? 'info' };
const child = spawn(process.execPath, [...(process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []), 'dist/cli/main.js', 'serve'], { cwd: '/work/main', env, stdio: ['ignore', 'ignore', 'inherit'] });
await new Promise((r) => setTimeout(r, 1500));
const cpu = () => { const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
for (const [label, path, method] of [['healthz', '/healthz', 'GET'], ['404 POST', '/v1/nope?version=1', 'POST']] as const) {
  const c0 = cpu();
  const r = await autocannon({ url: `http://127.0.0.1:18091${path}`, connections: 50, duration: 5, method, headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`apikey:${key}`).toString('base64')}` }, body: method === 'POST' ? '{"input":{"text":"x"}}' : undefined });
  console.log(label.padEnd(18), 'rps', Math.round(r.requests.average), 'us/req', ((cpu() - c0) * 1000 / r.requests.total).toFixed(1));
}
child.kill('SIGINT');

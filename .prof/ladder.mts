import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
for (const step of [1, 2, 3, 4]) {
  const child = spawn(process.execPath, ['--import', 'tsx', '.prof/ladder-server.mts'], { cwd: '/work/main', env: { ...process.env, STEP: String(step) }, stdio: ['ignore', 'ignore', 'inherit'] });
  await new Promise((r) => setTimeout(r, 2500));
  const cpu = () => { const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
  const c0 = cpu();
  const r = await autocannon({ url: 'http://127.0.0.1:18095/m', connections: 50, duration: 5, method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Basic YXBpa2V5OmJlbmNoLWFkbWluLWtleS0wMTIzNDU2Nzg5' }, body: '{"input":{"text":"what is my balance"}}' });
  console.log('step', step, 'rps', Math.round(r.requests.average), 'us/req', ((cpu() - c0) * 1000 / r.requests.total).toFixed(1));
  child.kill(); await new Promise((r) => child.once('exit', r));
}

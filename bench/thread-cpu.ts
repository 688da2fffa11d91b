import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds a process has used so far: its main thread (the event loop) and all its other threads together. */
export interface ThreadCpu { main: number; others: number }

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticksPerSecond;
}

/** Read from /proc, so Linux only: undefined elsewhere. A thread that exits while it is being read is skipped. */
export function threadCpu(pid: number): ThreadCpu | undefined {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  const cpu = { main: 0, others: 0 };
  for (const tid of tids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue;
    }
    // After "pid (comm) ", utime and stime are the 12th and 13th fields (proc(5): 14 and 15).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const seconds = (Number(fields[11]) + Number(fields[12])) / clockTicks();
    if (Number(tid) === pid) cpu.main += seconds;
    else cpu.others += seconds;
  }
  return cpu;
}

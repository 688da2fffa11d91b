import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Two processes (actors "a" and "b") append to one audit chain, released together for each round. Starting every round
 * at once is what makes them contend: left to run freely, one process may finish before the other has started.
 * Resolves with the exit codes.
 */
export async function runTwoAppenders(databaseUrl: string, instanceId: string, rounds: number, perRound: number): Promise<number[]> {
  const children = ['a', 'b'].map((actor) => spawn(process.execPath,
    ['--import', 'tsx', join(ROOT, 'test/helpers/audit-appender.ts'), databaseUrl, instanceId, String(perRound), actor],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] }));
  const exits = children.map((child) => new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1))));
  const readyLines = children.map(readyIterator);
  for (let round = 0; round <= rounds; round++) {
    const ready = await Promise.all(readyLines.map((lines) => lines.next()));
    if (ready.some((r) => r.done)) break;
    if (round < rounds) for (const child of children) child.stdin!.write('go\n');
  }
  for (const child of children) child.stdin!.end();
  return Promise.all(exits);
}

function readyIterator(child: ChildProcess): AsyncIterator<string> {
  return createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
}

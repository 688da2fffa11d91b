import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'src/cli/main.ts');

export interface LetheProcess {
  url: string;
  adminKey: string;
  dir: string;
  /** The SQLite file when the server runs on the default database. */
  dbPath: string;
  /** LETHE_DATABASE_URL of the server. */
  databaseUrl: string;
  env: NodeJS.ProcessEnv;
  /** The server's process id (to sample its memory). */
  pid: number;
  /** Everything the server wrote to stdout and stderr so far. */
  output(): string;
  /** Graceful stop (SIGTERM), waiting for exit. */
  stop(): Promise<void>;
  /** SIGKILL: the crash case. */
  kill(): Promise<void>;
  /** Removes the data directory; call after stop. */
  cleanup(): void;
}

export interface StartOptions {
  dir?: string;
  adminKey?: string;
  env?: Record<string, string>;
  /** A database of the caller's (e.g. a fresh PostgreSQL one from test-engines.ts) instead of a SQLite file in `dir`. */
  databaseUrl?: string;
  /** Keep the server's output for `output()` (default), or drop it once the server listens (benchmarks). */
  keepOutput?: boolean;
  /** A script that starts the server in place of `lethe serve` (a benchmark's variant of it), with the same environment. */
  script?: string;
}

function waitForExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** Starts the real server (the `lethe serve` CLI) on a free port with its own SQLite file, or on `databaseUrl`. */
export async function startLethe(opts: StartOptions = {}): Promise<LetheProcess> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'lethe-test-'));
  const dbPath = join(dir, 'lethe.db');
  const databaseUrl = opts.databaseUrl ?? `sqlite:${dbPath}`;
  const adminKey = opts.adminKey ?? `test-admin-${randomBytes(16).toString('hex')}`;
  const env = {
    ...process.env, PORT: '0', HOST: '127.0.0.1', LETHE_DATABASE_URL: databaseUrl, LETHE_ADMIN_KEY: adminKey,
    LETHE_LOG_LEVEL: 'info', ...opts.env,
  };
  const args = opts.script ? [opts.script] : [CLI, 'serve'];
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let listening = false;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      if (listening && opts.keepOutput === false) return;
      output += chunk.toString();
      if (listening) return;
      const m = /"url":"(http:\/\/[^"]+)".*"msg":"lethe listening"/.exec(output);
      if (m) { listening = true; clearTimeout(timer); resolve(m[1]!); }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => { if (!listening) { clearTimeout(timer); reject(new Error(`server exited (${code}) before listening:\n${output}`)); } });
  });
  return {
    url, adminKey, dir, dbPath, databaseUrl, env, pid: child.pid!,
    output: () => output,
    async stop() { child.kill('SIGTERM'); await waitForExit(child); },
    async kill() { child.kill('SIGKILL'); await waitForExit(child); },
    cleanup() { rmSync(dir, { recursive: true, force: true }); },
  };
}

/** Runs the `lethe` CLI against the same database as `server` and returns its parsed JSON output. */
export async function runCli(env: NodeJS.ProcessEnv, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
  const code = await new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? -1)));
  return { code, stdout, stderr };
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Logger } from 'pino';
import { PollingWorker } from './polling-loop.js';

class Flaky extends PollingWorker {
  passes = 0;
  protected async pass(): Promise<void> {
    this.passes++;
    if (this.passes === 1) throw new Error('database is locked');
  }
}

test('a pass that throws is logged as the worker failing, and the next pass still runs', async () => {
  const logged: string[] = [];
  const log = { error: (_fields: object, msg: string) => { logged.push(msg); } } as unknown as Logger;
  const worker = new Flaky(60_000, log, 'test pass');
  worker.start();
  await worker.idle();
  worker.wake();
  await worker.idle();
  await worker.stop();
  assert.deepEqual([worker.passes, logged], [2, ['test pass failed']]);
});

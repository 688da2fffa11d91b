import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../../logger.js';
import { IndexCompactor } from './index-compactor.js';

test('a pass runs compaction steps until the store has none left, and a failing step does not stop the worker', async () => {
  let remaining = 3;
  let calls = 0;
  let failNext = false;
  const logs = {
    async compactIndexStep() {
      calls++;
      if (failNext) { failNext = false; throw new Error('database is locked'); }
      if (remaining === 0) return false;
      remaining--;
      return true;
    },
  };
  const compactor = new IndexCompactor(logs, createLogger('silent'), 60_000);
  compactor.start();
  await compactor.idle();
  assert.deepEqual([remaining, calls], [0, 4], 'three steps that did work, then one that found nothing');

  failNext = true;
  remaining = 1;
  compactor.wake();
  await compactor.idle();
  compactor.wake();
  await compactor.idle();
  await compactor.stop();
  assert.equal(remaining, 0, 'the pass after the failure did the work');
});

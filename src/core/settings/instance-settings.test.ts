import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applySettingsPatch } from './instance-settings.js';

const current = { analyticsEnabled: true, logRetentionDays: 30, eventRetentionDays: null };

test('a patch changes only the fields it names; null switches a retention off', () => {
  assert.deepEqual(applySettingsPatch(current, { eventRetentionDays: 7 }), { analyticsEnabled: true, logRetentionDays: 30, eventRetentionDays: 7 });
  assert.deepEqual(applySettingsPatch(current, { logRetentionDays: null, analyticsEnabled: false }), { analyticsEnabled: false, logRetentionDays: null, eventRetentionDays: null });
  assert.deepEqual(applySettingsPatch(current, {}), current);
});

test('retention days are whole days from 1 to 3650', () => {
  for (const bad of [0, -1, 3651, 1.5, Number.NaN]) {
    assert.throws(() => applySettingsPatch(current, { logRetentionDays: bad }), /log_retention_days/, String(bad));
    assert.throws(() => applySettingsPatch(current, { eventRetentionDays: bad }), /event_retention_days/, String(bad));
  }
  assert.equal(applySettingsPatch(current, { logRetentionDays: 3650 }).logRetentionDays, 3650);
  assert.equal(applySettingsPatch(current, { logRetentionDays: 1 }).logRetentionDays, 1);
});

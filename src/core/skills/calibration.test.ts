import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CalibrationSample, confidence } from './calibration.js';

describe('Platt calibration', () => {
  it('learns an increasing curve that separates positives from negatives', () => {
    const sample = new CalibrationSample();
    for (let i = 0; i < 50; i++) {
      sample.add(0.5 + (i % 10) * 0.04, true); // positives in [0.5, 0.86]
      sample.add((i % 10) * 0.03, false); // negatives in [0, 0.27]
    }
    const fitted = sample.fit();
    assert.ok(fitted !== undefined && fitted.a > 0);
    assert.ok(confidence(fitted, 0.8) > 0.9);
    assert.ok(confidence(fitted, 0.1) < 0.1);
    assert.ok(confidence(fitted, 0.4) > confidence(fitted, 0.3));
  });

  it('reflects overlap: a score shared by both classes gets a middling confidence', () => {
    const sample = new CalibrationSample();
    for (let i = 0; i < 100; i++) {
      sample.add(0.5, i % 2 === 0);
      sample.add(0.9, true);
      sample.add(0.1, false);
    }
    const p = confidence(sample.fit()!, 0.5);
    assert.ok(p > 0.3 && p < 0.7, String(p));
  });

  it('refuses to fit without both classes or with a decreasing relation', () => {
    const onlyPositives = new CalibrationSample();
    onlyPositives.add(0.7, true);
    assert.equal(onlyPositives.fit(), undefined);

    const inverted = new CalibrationSample();
    for (let i = 0; i < 20; i++) {
      inverted.add(0.9, false);
      inverted.add(0.1, true);
    }
    assert.equal(inverted.fit(), undefined);
  });
});

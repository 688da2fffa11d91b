import { newId } from '../src/core/ids.js';
import { randomUUID } from 'node:crypto';
const t = (label: string, fn: () => void, n = 200000) => { for (let i = 0; i < 1000; i++) fn(); const t0 = performance.now(); for (let i = 0; i < n; i++) fn(); console.log(label, ((performance.now() - t0) * 1000 / n).toFixed(2), 'us'); };
t('uuid v7', () => newId());
t('randomUUID', () => randomUUID());
t('Date.now', () => Date.now());

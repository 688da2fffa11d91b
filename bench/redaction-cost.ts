/**
 * What ingest-time redaction costs per message: `node --import tsx bench/redaction-cost.ts`. Runs `redactLog` on a
 * v1 log row shaped like the message path's (input echoed, two output texts, intents, one entity) for typical texts,
 * with the default detectors and with every detector, against no redaction. A quick standalone measure, not part of
 * `npm run bench`.
 */
import type { LogRecord } from '../src/model/logs.js';
import { PiiDetectors } from '../src/core/privacy/pii-detectors.js';
import { redactLog } from '../src/core/privacy/record-redaction.js';
import { DEFAULT_REDACTION } from '../src/core/privacy/redaction-settings.js';

const TEXTS: Record<string, string> = {
  'words only': 'I would like to move some money from my checking account into savings please',
  'with digits': 'transfer 200 dollars from checking to savings on the 3rd, order 55123',
  'with PII': 'my card is 4111 1111 1111 1111 and my email is ada@example.com, call +44 20 7946 0958',
};

function logOf(text: string): LogRecord {
  const reply = 'Which account should the money come from?';
  return {
    logId: 'l', instanceId: 'i', api: 'v1', assistantId: null, environmentId: null, workspaceId: 'w', sessionId: null,
    conversationId: 'c', userId: null, customerIds: [], deployment: null, language: 'en', snapshot: null, topIntent: 'transfer_money',
    topConfidence: 0.93, entitiesCount: 1, inputText: text, learningOptOut: false, requestTs: 1, responseTs: 2,
    request: { input: { text }, context: { conversation_id: 'c', system: { dialog_stack: [] } } },
    response: {
      input: { text }, intents: [{ intent: 'transfer_money', confidence: 0.93 }],
      entities: [{ entity: 'account_type', location: [35, 43], value: 'checking', confidence: 1 }],
      output: { text: [reply, 'Anything else?'], generic: [{ response_type: 'text', text: reply }, { response_type: 'text', text: 'Anything else?' }] },
      context: { conversation_id: 'c', system: { dialog_stack: [] } },
    },
  };
}

function microsPerCall(fn: () => unknown, iterations = 200_000): number {
  for (let i = 0; i < 20_000; i++) fn();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  return Number(process.hrtime.bigint() - t0) / 1000 / iterations;
}

const configs: [string, PiiDetectors][] = [
  ['off', PiiDetectors.of([])], ['default', PiiDetectors.of(DEFAULT_REDACTION)], ['all six', PiiDetectors.all()],
];
const rows: string[] = [];
for (const [name, text] of Object.entries(TEXTS)) {
  const log = logOf(text);
  const cells = configs.map(([, d]) => microsPerCall(() => redactLog(log, d)).toFixed(2));
  rows.push(`| ${name} | ${cells.join(' | ')} |`);
}
process.stdout.write(`| text | ${configs.map(([n]) => `${n} µs`).join(' | ')} |\n|---|${configs.map(() => '---').join('|')}|\n${rows.join('\n')}\n`);

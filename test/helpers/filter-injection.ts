import assert from 'node:assert/strict';
import { BadRequest } from '../../src/model/errors.js';
import { newId } from '../../src/model/ids.js';
import { FilterSyntaxError } from '../../src/filter/watson-logs/index.js';
import type { LogRecord } from '../../src/model/logs.js';
import { seededRandom } from './seeded-random.js';

/** Filter terms and fields for the injection and fuzz tests of every engine's filter compiler, and the tests themselves. */

// Terms that would change the meaning of SQL, LIKE, JSON paths, the FTS5 or tsquery languages if spliced in.
export const INJECTION_CORPUS = [
  "' OR '1'='1", "'; DROP TABLE logs; --", '" OR 1=1 --', '%', '_', '%_%', '\\', '\\\\', '*', 'NEAR(a b)', 'a OR b', 'a AND NOT b',
  '^start', 'input_text : x', '{input_text output_text} : x', 'x"', '""', '"a" "b"', ':', '-x', '+x', "$.injected", "$[0]", '..',
  'a\u0000b', '\u202Eevil', '😀', 'é', ')', '(', 'logs_fts_x', 'SELECT 42 FROM x', '/* */', 'x\' || \'y', 'NULL) OR (1', '0x41',
  'a & b', 'a | !b', 'a <-> b', 'pre:*', "'quoted':B",
];

export const FIELDS = ['customer_id', 'request.input.text', 'response.output.text', 'response.intents:intent', 'response.entities:value',
  'response.top_intent', 'language', 'request.context.metadata.user_id', 'log_id', 'workspace_id', 'conversation_id'];
export const OPERATORS = ['::', ':', '::!', ':!'];

/** Quotes a term for the filter language, so any string becomes one literal term. */
export const quoted = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/** A compiled filter run against the engine: its SQL text and the conversations of the rows it matched. */
export type RunFilter = (filter: string) => Promise<{ sql: string; conversations: string[] }>;

/** Rows c0–c2 belong to instance i1, c3 to i2: the fixture both engines load before these tests. */
export function injectionLog(i: number, text: string, customer: string): LogRecord {
  return {
    logId: newId(), instanceId: i < 3 ? 'i1' : 'i2', api: 'v1', assistantId: null, environmentId: null, workspaceId: 'w',
    sessionId: null, conversationId: `c${i}`, userId: `u${i}`, customerIds: [customer], deployment: null, language: 'en', snapshot: null,
    topIntent: 'greet', topConfidence: 0.9, entitiesCount: 1, inputText: text, learningOptOut: false, requestTs: 1000 + i, responseTs: 1001 + i,
    request: { input: { text } }, response: { intents: [{ intent: 'greet' }], entities: [{ entity: 'e', value: text }], output: { text: [text] } },
  };
}

const OWN = ['c0', 'c1', 'c2'];

/** A filter either runs, matching only rows of its own instance, or is refused as bad input; nothing else. */
async function runsOrIsRefused(run: RunFilter, filter: string): Promise<{ sql: string; conversations: string[] } | undefined> {
  try {
    const result = await run(filter);
    assert.ok(result.conversations.every((c) => OWN.includes(c)), `${filter} crossed instances`);
    return result;
  } catch (err) {
    assert.ok(err instanceof BadRequest || err instanceof FilterSyntaxError, `${filter}: ${(err as Error).stack}`);
    return undefined;
  }
}

/** Every corpus term with every field and operator: a bound parameter, never SQL text. */
export async function assertCorpusIsInert(run: RunFilter): Promise<void> {
  for (const evil of INJECTION_CORPUS) {
    for (const field of FIELDS) {
      for (const op of OPERATORS) {
        const filter = `${field}${op}${quoted(evil)}`;
        const result = await runsOrIsRefused(run, filter);
        if (result && evil.length > 2) assert.equal(result.sql.includes(evil), false, `${filter} reached the SQL text`);
      }
    }
  }
  assert.deepEqual((await run(`customer_id::${quoted('a%b')}`)).conversations, ['c0'], '% is not a LIKE wildcard');
  assert.deepEqual((await run(`customer_id:${quoted('x_y')}`)).conversations, ['c2'], '_ is not a LIKE wildcard');
  assert.deepEqual((await run(`request.input.text:${quoted("' OR '1'='1")}`)).conversations, ['c0']);
}

/** Seeded random combinations of fields, operators and terms (corpus terms among them). */
export async function assertRandomFiltersAreSafe(run: RunFilter, count: number): Promise<void> {
  const random = seededRandom(20261123);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const term = () => random() < 0.3 ? quoted(pick(INJECTION_CORPUS)) : pick(['hello', 'plain', 'pla*', 'wordz~1', 'a*b', '2020-01-01', '0.5', '(a|b)', '*', 'x~2']);
  const comparison = () => `${pick(FIELDS)}${pick([...OPERATORS, '<', '>='])}${term()}`;
  for (let i = 0; i < count; i++) {
    await runsOrIsRefused(run, Array.from({ length: 1 + Math.floor(random() * 3) }, comparison).join(pick([',', '|'])));
  }
}

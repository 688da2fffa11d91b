import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type AssistantV1 from 'ibm-watson/assistant/v1.js';
import type AssistantV2 from 'ibm-watson/assistant/v2.js';
import { call } from '../helpers/http.js';
import { startLethe, type LetheProcess } from '../helpers/lethe-process.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { describeEachEngine, freshDatabase, type FreshDatabase } from '../helpers/test-engines.js';
import { bankingAssistant } from '../helpers/watson-assistant.js';
import { finishedJob, waitFor } from '../helpers/wait.js';

const SEED = 20261208;

// Pieces of generated values: the syntax of both filter languages (Watson logs filter, Coveo read filter), quotes,
// backslashes, NUL and other controls, bidi marks, combining characters, and UTF-8 of 1 to 4 bytes.
const PIECES = [
  'a', 'Z', '7', 'x_y', '-', '.', '@', ' ', '"', "'", '\\', '\\\\', '\\"', '::', ':!', '::!', ':', ',', '|', '(', ')', '[', ']', '*', '~', '~2',
  '==', '!=', '=~', '!~', '=@', '<=', ' AND ', ' OR ', ' IN ', 'null', ';', '=', '%', '%41', '+', '&', '?', '#', '/',
  '\u0000', '\u0007', '\u007f', '\u0085', '\u200f', '\u202e', '\u200d', '\u0301', '\u0308', 'e\u0301', '\u00e9', 'ñ', 'ß', 'İ', '\u0430',
  '山', '€', '\u3000', '😀', '𝄞', '\u{1F469}\u200d\u{1F4BB}', '\u00a0',
];

/** The documented identifier rule (README "Identifiers"), restated as the oracle: the stored form, or null if refused. */
function storedForm(value: string): string | null {
  const nfc = value.normalize('NFC');
  if (nfc === '' || /[\u0000-\u001f\u007f-\u009f\u2028\u2029\uFFFD]/u.test(nfc) || /^\s|\s$/u.test(nfc) || [...nfc].length > 256) return null;
  return nfc;
}

/** Seeded values, plus look-alike variants of some: decomposed, upper-cased, Latin a swapped for Cyrillic а. */
function generate(count: number): string[] {
  const random = seededRandom(SEED);
  const pick = () => PIECES[Math.floor(random() * PIECES.length)]!;
  const values = Array.from({ length: count }, () => `v${Array.from({ length: 1 + Math.floor(random() * 7) }, pick).join('')}`);
  // A few begin or end with whitespace, or are only syntax: each is refused or taken as a plain value.
  values.push(' padded', 'padded\u3000', '|language::!x\\', 'o"brien', 'userid == "x" OR 1', 'customer_id::*');
  const variants = values.slice(0, 8).flatMap((v) => [v.normalize('NFD'), v.toUpperCase(), v.replace(/a/g, '\u0430')]);
  return [...values, ...variants];
}

const watsonQuoted = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
const coveoQuoted = (s: string) => `"${s.replace(/["'\\]/g, (c) => `\\${c}`)}"`;

/**
 * Property test (issue 15): generated identifiers and filter values go in through every API that takes one, and come
 * back as plain values. A value is either refused everywhere (400) or stored in its documented form, and a lookup by
 * the value, through any route, finds exactly the records stored under that form: nothing of anyone else.
 */
describeEachEngine('identifiers and filter values round-trip as plain values', (engine) => {
  let database: FreshDatabase;
  let lethe: LetheProcess;
  let v1: AssistantV1;
  let v2: AssistantV2;
  let workspaceId: string;
  let assistantId: string;
  const values = generate(36);
  const accepted = new Map<number, string>();
  /** The indices of the values stored under each form. */
  const owners = new Map<string, number[]>();
  const ownersOf = (i: number) => owners.get(accepted.get(i)!)!;
  /** Per value: the statuses of the v1 message, v2 message, Coveo event and subject lookup that named it. */
  const statuses: number[][] = [];

  const logsWhere = async (filter: string): Promise<string[]> => {
    const res = await call(lethe.url, 'GET', `/api/v1/logs?page_limit=1000&filter=${encodeURIComponent(filter)}`, { key: lethe.adminKey });
    assert.equal(res.status, 200, `${JSON.stringify(filter)}: ${JSON.stringify(res.body)}`);
    return (res.body.logs as { input_text: string }[]).map((l) => l.input_text).sort();
  };
  const find = (kind: string, value: string) => call(lethe.url, 'POST', '/api/v1/subjects/find', { key: lethe.adminKey, body: { kind, value } });
  /** Input texts of the v1 and v2 messages of these values. */
  const texts = (indices: number[], apis: ('v1' | 'v2')[]) => indices.flatMap((i) => apis.map((api) => `${api} p${i}q`)).sort();

  before(async () => {
    database = await freshDatabase(engine, 'identifier-properties');
    lethe = await startLethe({ databaseUrl: database.url });
    ({ v1, v2, workspaceId, assistantId } = await bankingAssistant(lethe));
    // Every value goes in through every API that takes an identifier; what the oracle accepts, the tests look up.
    for (const [i, value] of values.entries()) {
      const header = { 'X-Watson-Metadata': `customer_id=${encodeURIComponent(value)}` };
      const sent = await v1.message({ workspaceId, input: { text: `v1 p${i}q` }, context: { metadata: { user_id: value } } as never, headers: header })
        .catch((e: { status: number }) => e);
      const stateless = await v2.messageStateless({ assistantId, environmentId: assistantId, userId: value, input: { text: `v2 p${i}q` } })
        .catch((e: { status: number }) => e);
      const event = await call(lethe.url, 'POST', '/rest/ua/v15/analytics/search', {
        key: lethe.adminKey, basic: false,
        body: { searchQueryUid: randomUUID(), queryText: `event p${i}q`, actionCause: 'searchboxSubmit', responseTime: 1, username: value },
      });
      statuses.push([sent.status, stateless.status, event.status, (await find('customer_id', value)).status]);
      const form = storedForm(value);
      if (form === null) continue;
      accepted.set(i, form);
      owners.set(form, [...(owners.get(form) ?? []), i]);
    }
  });
  after(async () => {
    await lethe.stop();
    lethe.cleanup();
    await database.drop();
  });

  test('every API either stores a value in its NFC form or refuses it with 400, the same way everywhere', () => {
    for (const [i, value] of values.entries()) {
      const expected = accepted.has(i) ? [200, 200, 200, 200] : [400, 400, 400, 400];
      assert.deepEqual(statuses[i], expected, `value ${i} ${JSON.stringify(value)}: v1 message, v2 message, Coveo event, subject lookup`);
    }
    assert.ok(accepted.size >= values.length / 2 && accepted.size < values.length, `${accepted.size} of ${values.length} accepted: both cases are exercised`);
    assert.ok([...owners.values()].some((o) => o.length > 1), 'some values are one identifier (NFC), and share records');
  });

  test('a Watson logs filter naming an identifier, escaped, finds exactly the records stored under it', async () => {
    for (const i of accepted.keys()) {
      const value = values[i]!;
      const own = ownersOf(i);
      for (const written of [value, value.normalize('NFD')]) {
        assert.deepEqual(await logsWhere(`customer_id::${watsonQuoted(written)}`), texts(own, ['v1']), `customer_id of value ${i} ${JSON.stringify(value)}`);
        assert.deepEqual(await logsWhere(`request.context.metadata.user_id::${watsonQuoted(written)}|request.context.global.system.user_id::${watsonQuoted(written)}`),
          texts(own, ['v1', 'v2']), `user_id of value ${i} ${JSON.stringify(value)}`);
      }
    }
  });

  test('data-subject lookups by each identifier count exactly its own records', async () => {
    for (const [i] of accepted) {
      const own = ownersOf(i).length;
      assert.deepEqual((await find('customer_id', values[i]!)).body.holdings, { logs: own, events: 0, exports: 0 }, `value ${i}`);
      assert.deepEqual((await find('user_id', values[i]!)).body.holdings, { logs: 2 * own, events: own, exports: 0 }, `value ${i}`);
    }
  });

  test('a Coveo export filter naming a user, escaped, holds exactly that user\'s events', async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const exported = async (filter: string): Promise<string[]> => {
      const created = await call(lethe.url, 'POST', `/rest/ua/v15/exports?from=${from}&to=${to}&format=JSON&f=${encodeURIComponent(filter)}`, { key: lethe.adminKey, basic: false });
      assert.equal(created.status, 201, `${filter}: ${JSON.stringify(created.body)}`);
      const done = await waitFor(async () => (await call(lethe.url, 'GET', `/rest/ua/v15/exports/${created.body.id}`, { key: lethe.adminKey, basic: false })).body,
        (e) => e.status !== 'PENDING');
      assert.equal(done.status, 'AVAILABLE', JSON.stringify(done));
      const file = await call(lethe.url, 'GET', `/rest/ua/v15/exports/${created.body.id}/file`, { key: lethe.adminKey, basic: false });
      return (file.body as { payload: { queryText: string } }[]).map((e) => e.payload.queryText).sort();
    };
    // Exports are slower than lookups: every third identifier, through the index path and through the evaluator.
    for (const [i, form] of [...accepted].filter((_, k) => k % 3 === 0)) {
      const expected = ownersOf(i).map((j) => `event p${j}q`).sort();
      assert.deepEqual(await exported(`userid == ${coveoQuoted(values[i]!)}`), expected, `value ${i} ${JSON.stringify(values[i])}`);
      assert.deepEqual(await exported(`(userid == ${coveoQuoted(form)} OR userid == ${coveoQuoted(form)})`), expected, `value ${i}, evaluated`);
    }
  });

  test('the Coveo user overview of each identifier shows exactly its own records', async () => {
    for (const [i] of accepted) {
      const res = await call(lethe.url, 'GET', `/rest/ua/v15/users/${encodeURIComponent(values[i]!)}/overview`, { key: lethe.adminKey, basic: false });
      assert.equal(res.status, 200, `value ${i} ${JSON.stringify(values[i])}: ${JSON.stringify(res.body)}`);
      assert.deepEqual(res.body.events.map((e: { payload: { queryText: string } }) => e.payload.queryText).sort(), ownersOf(i).map((j) => `event p${j}q`).sort(), `value ${i}`);
      assert.deepEqual(res.body.conversationLogs.map((l: { request: { input: { text: string } } }) => l.request.input.text).sort(), texts(ownersOf(i), ['v1', 'v2']), `value ${i}`);
    }
  });

  test('a conversation ID of any generated text is matched exactly by conversation_id::, and by nothing else', async () => {
    const random = seededRandom(SEED + 1);
    const conversations = values.filter((v) => v.length <= 200 && !v.includes('\u0000')).map((v, k) => (random() < 0.5 ? v : `${v}${k}`));
    for (const [k, c] of conversations.entries()) {
      const res = await v1.message({ workspaceId, input: { text: `conv c${k}q` }, context: { conversation_id: c } as never });
      assert.equal(res.result.context.conversation_id, c, 'a conversation ID is kept as sent');
    }
    for (const [k, c] of conversations.entries()) {
      const expected = conversations.flatMap((other, j) => (other === c ? [`conv c${j}q`] : [])).sort();
      assert.deepEqual(await logsWhere(`conversation_id::${watsonQuoted(c)}`), expected, `conversation ${k} ${JSON.stringify(c)}`);
    }
  });

  test('deleting some identifiers removes exactly their records; every other identifier keeps its own', async () => {
    const forms = [...owners.keys()];
    const doomed = new Set(forms.filter((_, k) => k % 3 === 1));
    const jobs = [];
    for (const form of doomed) {
      const res = await call(lethe.url, 'POST', '/api/v1/subjects/delete', { key: lethe.adminKey, body: { kind: 'user_id', value: values[owners.get(form)![0]!] } });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      jobs.push(res.body.job_id as string);
    }
    for (const id of jobs) assert.equal((await finishedJob(lethe.url, lethe.adminKey, id)).status, 'completed');
    for (const [i, form] of accepted) {
      const own = doomed.has(form) ? 0 : ownersOf(i).length;
      // Exports made above hold some of these users' events too; logs and events are what each identifier owns.
      const { logs, events } = (await find('user_id', values[i]!)).body.holdings;
      assert.deepEqual({ logs, events }, { logs: 2 * own, events: own }, `value ${i} ${JSON.stringify(values[i])}`);
    }
  });
});

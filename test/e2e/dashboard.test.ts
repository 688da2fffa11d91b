import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import AssistantV1 from 'ibm-watson/assistant/v1.js';
import { BasicAuthenticator } from 'ibm-watson/auth/index.js';
import { strFromU8, unzipSync } from 'fflate';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { bankingWorkspace } from '../fixtures/workspace.js';
import { launchChromium } from '../helpers/browser.js';
import { call } from '../helpers/http.js';
import { startLethe, type LetheProcess } from '../helpers/lethe-process.js';

const ARTIFACTS = new URL('../../.artifacts/', import.meta.url).pathname;
const ALICE = ['What is my account balance?', 'transfer 200 from checking to savings', 'goodbye'];
const BOB = ['how much money do I have?', 'see you later'];
const CROWD = 24;

interface PageDom {
  document: { querySelectorAll(s: string): { length: number }; querySelector(s: string): { innerText: string } | null };
  localStorage: { length: number; getItem(k: string): string | null };
  sessionStorage: { length: number; getItem(k: string): string | null };
}

/** The dashboard in headless Chromium, against the real server fed through the ibm-watson SDK. */
describe('dashboard in a real Chromium', () => {
  let lethe: LetheProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  const shot = (name: string) => page.screenshot({ path: `${ARTIFACTS}dashboard-${name}.png`, fullPage: true });
  const rowsText = async () => page.locator(ROWS).allInnerTexts();
  const open = (path: string) => page.goto(`${lethe.url}/dashboard${path}`);
  // These run inside the page, whose CSP forbids eval: functions, not strings, typed with the little DOM they use.
  const waitCount = (selector: string, n: number) =>
    page.waitForFunction(([sel, count]) => (globalThis as unknown as PageDom).document.querySelectorAll(sel).length === count, [selector, n] as const);
  const waitText = (selector: string, re: RegExp) => page.waitForFunction(([sel, source, flags]) =>
    new RegExp(source, flags).test((globalThis as unknown as PageDom).document.querySelector(sel)?.innerText ?? ''), [selector, re.source, re.flags] as const);
  const waitTextChange = (selector: string, from: string) =>
    page.waitForFunction(([sel, old]) => (globalThis as unknown as PageDom).document.querySelector(sel)?.innerText !== old, [selector, from] as const);
  const storage = (kind: 'localStorage' | 'sessionStorage') =>
    page.evaluate((k) => { const s = (globalThis as unknown as PageDom)[k]; return { length: s.length, key: s.getItem('lethe.apiKey') }; }, kind);
  const ROWS = '[data-testid=log-table] tbody tr';

  async function signIn(key: string) {
    await page.fill('input[name=api-key]', key);
    await page.click('button[type=submit]');
  }

  async function filterLogs(filter: string) {
    await page.getByRole('link', { name: 'Log explorer' }).click();
    await page.fill('input[name=filter]', filter);
    await page.getByRole('button', { name: 'Apply' }).click();
  }

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    lethe = await startLethe();
    const v1 = new AssistantV1({ version: '2021-06-14', serviceUrl: lethe.url, authenticator: new BasicAuthenticator({ username: 'apikey', password: lethe.adminKey }) });
    const { dialog_nodes: dialogNodes, ...rest } = bankingWorkspace;
    const workspaceId = (await v1.createWorkspace({ ...rest, dialogNodes } as never)).result.workspace_id!;
    // One conversation per person: each message carries the previous reply's context, as a chat client does.
    const converse = async (customer: string, user: string, texts: string[]) => {
      let context: Record<string, unknown> = { metadata: { user_id: user } };
      for (const text of texts) {
        const { result } = await v1.message({ workspaceId, input: { text }, context: context as never, headers: { 'X-Watson-Metadata': `customer_id=${customer}` } });
        context = result.context as Record<string, unknown>;
      }
    };
    for (let i = 0; i < CROWD; i++) await converse(`crowd-${i}`, `crowd-user-${i}`, [`crowd question ${i} about my balance`]);
    await converse('cust-alice', 'alice', ALICE);
    await converse('cust-bob', 'bob', BOB);

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1360, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
  });
  after(async () => {
    await browser?.close();
    await lethe.stop();
    lethe.cleanup();
  });

  test('the server sends the dashboard with a strict CSP, no framing, and / leads to it', async () => {
    const root = await fetch(`${lethe.url}/`, { redirect: 'manual' });
    assert.equal(root.status, 302);
    assert.equal(root.headers.get('location'), '/dashboard/');
    const deep = await fetch(`${lethe.url}/dashboard/conversations/abc`);
    assert.equal(deep.status, 200, 'app routes fall back to index.html');
    const csp = deep.headers.get('content-security-policy')!;
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(deep.headers.get('x-frame-options'), 'DENY');
    const html = await deep.text();
    assert.doesNotMatch(html, /<script>|<script [^>]*>[^<]/, 'no inline script');
    assert.equal((await fetch(`${lethe.url}/dashboard/missing.js`)).status, 404, 'a missing asset is a 404, not the page');
  });

  test('sign-in: a bad key is refused and nothing else shows; the admin key is accepted', async () => {
    await open('/');
    await page.waitForSelector('input[name=api-key]');
    assert.equal(await page.locator('nav').count(), 0, 'nothing but the sign-in form without a key');
    await signIn('lethe_not-a-real-key');
    await page.getByText('This API key is not valid').waitFor();
    assert.equal(await page.locator('nav').count(), 0);
    await shot('sign-in-refused');
    await signIn(lethe.adminKey);
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();
    const who = await page.getByTestId('whoami').innerText();
    assert.match(who, /instance default/);
    assert.match(who, /admin/);
    assert.equal((await storage('localStorage')).length, 0, 'the key is not in localStorage');
    assert.equal((await storage('sessionStorage')).key, lethe.adminKey);
    await page.reload();
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();
  });

  const metrics = async () => (await call(lethe.url, 'GET', '/api/v1/metrics/overview', { key: lethe.adminKey })).body;
  const figure = async (id: string) => (await page.getByTestId(id).innerText()).split('\n')[1];

  test('overview: the metrics API\'s figures, day charts and top intents', async () => {
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByTestId('overview-figures').waitFor();
    const m = await metrics();
    assert.equal(m.messages, CROWD + ALICE.length + BOB.length);
    assert.equal(m.conversations, CROWD + 2);
    assert.equal(await figure('stat-messages'), String(m.messages));
    assert.equal(await figure('stat-conversations'), String(m.conversations));
    assert.equal(await figure('stat-users'), String(CROWD + 2));
    assert.equal(await figure('stat-coverage'), `${(m.coverage * 100).toFixed(1)}%`);
    assert.equal(await figure('stat-containment'), `${(m.containment * 100).toFixed(1)}%`);
    const intents = await page.getByTestId('top-intents').locator('li').allInnerTexts();
    assert.equal(intents.length, m.top_intents.length);
    assert.match(intents[0]!, new RegExp(`^#${m.top_intents[0].intent}\\s+${m.top_intents[0].messages}\\b`));
    assert.equal(await page.locator('.chart canvas').count(), 2, 'both day charts are drawn');
    await shot('overview');
  });

  test('overview: narrowed to a deployment, and coverage at another confidence threshold', async () => {
    const show = async (fields: Record<string, string>) => {
      for (const [name, value] of Object.entries(fields)) await page.fill(`input[name=${name}]`, value);
      await page.getByRole('button', { name: 'Show' }).click();
    };
    await show({ deployment: 'kiosk' });
    await waitText('[data-testid=stat-messages]', /\n0$/);
    await show({ deployment: '', coverage_threshold: '1' });
    const strict = (await call(lethe.url, 'GET', '/api/v1/metrics/overview?coverage_threshold=1', { key: lethe.adminKey })).body;
    assert.ok(strict.coverage < (await metrics()).coverage, 'a stricter threshold covers fewer messages');
    await waitText('[data-testid=stat-coverage]', new RegExp(`${(strict.coverage * 100).toFixed(1)}%\\s+top intent ≥ 100% confident`));
    assert.equal(await figure('stat-messages'), String(strict.messages));
    await show({ coverage_threshold: '' });
    await waitText('[data-testid=stat-coverage]', /top intent ≥ 20% confident/);
  });

  test('log explorer: every log, paginated by cursor both ways', async () => {
    await page.getByRole('link', { name: 'Log explorer' }).click();
    await page.selectOption('select[name=page_limit]', '10');
    await waitCount(ROWS, 10);
    const first = await rowsText();
    assert.match(first[0]!, /see you later/, 'newest first');
    assert.match(first[0]!, /cust-bob/);
    assert.match(first[0]!, /#goodbye/);
    await shot('logs');
    await page.getByRole('button', { name: 'Next →' }).click();
    await page.getByText('Page 2').waitFor();
    await waitTextChange(ROWS, first[0]!);
    const second = await rowsText();
    assert.equal(second.length, 10);
    assert.equal(second.filter((r) => first.includes(r)).length, 0, 'page 2 holds other logs');
    await page.getByRole('button', { name: 'Next →' }).click();
    await page.getByText('Page 3').waitFor();
    await waitCount(ROWS, CROWD + ALICE.length + BOB.length - 20);
    assert.equal(await page.getByRole('button', { name: 'Next →' }).isDisabled(), true, 'the last page has no next');
    await page.getByRole('button', { name: '← Previous' }).click();
    await page.getByText('Page 2').waitFor();
    await waitCount(ROWS, 10);
    assert.deepEqual(await rowsText(), second);
  });

  test('log explorer: a filter narrows, a bad filter shows the server\'s reason', async () => {
    await filterLogs('customer_id::cust-alice');
    await waitCount(ROWS, 3);
    const rows = await rowsText();
    assert.ok(rows.every((r) => r.includes('cust-alice') && r.includes('alice')));
    assert.deepEqual(rows.map((r) => ALICE.find((t) => r.includes(t))), [...ALICE].reverse());
    await shot('logs-filtered');

    const exported = async (button: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
      return { name: download.suggestedFilename(), text: readFileSync((await download.path())!, 'utf8') };
    };
    const csv = await exported('Export CSV');
    assert.equal(csv.name, 'logs.csv');
    const lines = csv.text.trim().split('\r\n');
    assert.match(lines[0]!, /^conversation_id,request_timestamp,response_timestamp,User Input,Output,Intent,Confidence,/);
    assert.deepEqual(lines.slice(1).map((l) => ALICE.find((t) => l.includes(t))), ALICE, 'the filtered logs, oldest first');
    const jsonl = await exported('Export JSONL');
    assert.equal(jsonl.name, 'logs.jsonl');
    const records = jsonl.text.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(records.map((r) => r.request.input.text), ALICE);
    assert.ok(records.every((r) => r.customer_ids.includes('cust-alice')));

    await page.fill('input[name=filter]', 'customer_id cust-alice');
    await page.getByRole('button', { name: 'Apply' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /Invalid filter at position 12: expected an operator/);
    await shot('logs-bad-filter');
    await page.fill('input[name=filter]', 'customer_id::cust-alice');
    await page.getByRole('button', { name: 'Apply' }).click();
    await waitCount(ROWS, 3);
    assert.equal(await page.getByRole('alert').count(), 0, 'the error goes once the filter is fixed');
  });

  test('conversation view: every message of the clicked conversation, in order', async () => {
    await page.locator(ROWS).first().click();
    await page.waitForURL(/\/dashboard\/conversations\//);
    await waitCount('.bubble-user', 3);
    assert.deepEqual(await page.locator('.bubble-user .bubble-text').allInnerTexts(), ALICE);
    const replies = await page.locator('.bubble-assistant .bubble-text').allInnerTexts();
    assert.deepEqual(replies, ['Your balance is $42.', 'Which account should the money come from?', 'Goodbye!']);
    await shot('conversation');
    await page.getByRole('link', { name: '← Back to logs' }).click();
    assert.equal(await page.inputValue('input[name=filter]'), 'customer_id::cust-alice', 'the explorer keeps its filter');
  });

  test('conversation view: answers reviewed where they are read, shown in the explorer and the overview', async () => {
    await page.locator(ROWS).first().click();
    await waitCount('.bubble-user', 3);
    const reviews = page.getByTestId('review');
    await reviews.nth(0).getByRole('button', { name: 'Correct', exact: true }).click();
    await waitText('[data-testid=review] [data-testid=review-badge]', /correct/);

    const second = reviews.nth(1);
    await second.getByRole('button', { name: 'Incorrect…' }).click();
    const save = second.getByRole('button', { name: 'Save review' });
    assert.equal(await save.isDisabled(), true, 'an incorrect answer needs its root cause');
    await second.locator('select[name=root_cause]').selectOption('dialog_error');
    await second.locator('input[name=corrected_intent]').fill('move_money');
    await save.click();
    await second.getByTestId('review-badge').waitFor();
    assert.equal(await second.getByTestId('review-badge').innerText(), '✗ Dialog error (right intent, wrong flow) → #move_money');
    await shot('conversation-review');

    await page.reload();
    await waitCount('[data-testid=review-badge]', 2);
    assert.deepEqual(await page.getByTestId('review-badge').allInnerTexts(), ['✓ correct', '✗ Dialog error (right intent, wrong flow) → #move_money'], 'reviews are stored');
    const e = (await call(lethe.url, 'GET', '/api/v1/metrics/effectiveness', { key: lethe.adminKey })).body;
    assert.deepEqual([e.annotated, e.correct, e.accuracy, e.root_causes.dialog_error, e.missed_intents], [2, 1, 0.5, 1, [{ intent: 'move_money', messages: 1 }]]);

    await page.getByRole('link', { name: '← Back to logs' }).click();
    await waitCount(`${ROWS} [data-testid=review-badge]`, 2);
    const rows = await rowsText();
    const rowOf = (text: string) => rows.find((r) => r.includes(text)) ?? '';
    assert.match(rowOf(ALICE[1]!), /✗ Dialog error/);
    assert.match(rowOf(ALICE[0]!), /✓ correct/);
    assert.ok(!rowOf(ALICE[2]!).includes('correct'), 'an answer nobody reviewed shows no verdict');

    await page.getByRole('link', { name: 'Overview' }).click();
    await waitText('[data-testid=stat-accuracy]', /50\.0%/);
    const findings = await page.getByTestId('review-findings').innerText();
    assert.match(findings, /Dialog error \(right intent, wrong flow\)\s+1/);
    assert.match(findings, /#move_money\s+1/);
    assert.match(findings, /#check_balance\s+100%/);
    await shot('overview-review');
  });

  test('DSR console: find, view, export, delete with confirmation, verified receipt', async () => {
    await page.getByRole('link', { name: 'Data-subject requests' }).click();
    await page.selectOption('select[name=kind]', 'customer_id');
    await page.fill('input[name=value]', 'cust-alice');
    await page.getByRole('button', { name: 'Find' }).click();
    const holdings = page.getByTestId('holdings');
    await holdings.waitFor();
    assert.match(await holdings.innerText(), /Conversation logs\s*3/i);
    assert.ok(!page.url().includes('cust-alice'), 'the person is never in the URL');

    await page.getByRole('button', { name: 'View data' }).click();
    const access = page.getByTestId('access');
    await access.waitFor();
    const accessText = await access.innerText();
    assert.match(accessText, /Conversation logs \(3\)/i);
    for (const t of ALICE) assert.ok(accessText.includes(t), t);
    assert.ok(!accessText.includes(BOB[0]!), 'nobody else\'s data');
    await shot('dsr-access');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export ZIP' }).click()]);
    assert.match(download.suggestedFilename(), /^lethe-subject-[0-9a-f]{12}\.zip$/);
    const files = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
    const logs = strFromU8(files['logs.jsonl']!).trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(logs.map((l) => l.request.input.text), ALICE);

    await page.getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const confirm = dialog.getByRole('button', { name: 'Delete permanently' });
    assert.equal(await confirm.isDisabled(), true, 'nothing is deleted before the value is typed again');
    await dialog.locator('input[name=confirm-value]').fill('cust-alic');
    assert.equal(await confirm.isDisabled(), true);
    await dialog.locator('input[name=confirm-value]').fill('cust-alice');
    await shot('dsr-confirm');
    await confirm.click();
    await page.waitForSelector('[data-testid=receipt][data-status=completed]', { timeout: 20_000 });
    const receipt = page.getByTestId('receipt');
    assert.match(await page.getByTestId('deleted').innerText(), /logs\s*3/);
    assert.deepEqual((await page.getByTestId('verification').locator('td').allInnerTexts()), ['0', '0', '0']);
    assert.notEqual(await receipt.getByTestId('verified').innerText(), '—', 'the receipt shows when deletion was verified');
    await waitText('[data-testid=holdings]', /Conversation logs\s*0/i);
    const jobs = page.getByTestId('jobs').first();
    await waitText('[data-testid=jobs]', /completed/);
    assert.match(await jobs.innerText(), /customer_id/);
    await shot('dsr-receipt');

    await filterLogs('customer_id::cust-alice');
    await page.getByText('No log matches this filter.').waitFor();
    await filterLogs('customer_id::cust-bob');
    await waitCount(ROWS, 2);
  });

  test('overview: the deletion is reflected at once', async () => {
    await page.getByRole('link', { name: 'Overview' }).click();
    await waitText('[data-testid=stat-messages]', new RegExp(`\\n${CROWD + BOB.length}$`));
    assert.equal((await metrics()).messages, CROWD + BOB.length);
    await waitText('[data-testid=stat-accuracy]', /—\s+0 annotated/);
    assert.equal(await page.getByTestId('review-findings').count(), 0, 'the reviews went with the deleted logs');
  });

  let newSecret = '';
  test('API keys: a new key\'s secret is shown once, and the key works', async () => {
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByTestId('keys').waitFor();
    await page.fill('input[name=key-name]', 'log reader');
    await page.check('input[value="logs:read"]');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = page.getByTestId('new-secret');
    await secret.waitFor();
    newSecret = await secret.innerText();
    assert.match(newSecret, /^lethe_/);
    await waitText('[data-testid=keys]', /log reader/);
    await shot('keys-created');
    await page.getByRole('button', { name: 'I have stored it' }).click();
    assert.equal(await page.getByTestId('new-secret').count(), 0);
    assert.ok(!(await page.content()).includes(newSecret), 'the secret is not shown again');
    await page.reload();
    await page.getByTestId('keys').waitFor();
    assert.ok(!(await page.content()).includes(newSecret));
    await shot('keys');
    const res = await call(lethe.url, 'GET', '/api/v1/logs?page_limit=1', { key: newSecret, basic: false });
    assert.equal(res.status, 200, 'the new key works');
  });

  test('audit trail: the entries of what was done above, and a verified chain', async () => {
    await page.getByRole('link', { name: 'Audit trail' }).click();
    const table = page.getByTestId('audit');
    await table.waitFor();
    const rows = await table.locator('tbody tr').allInnerTexts();
    const actions = rows.map((r) => r.split('\t')[3]);
    for (const action of ['key.create', 'dsr.find', 'dsr.access', 'dsr.export', 'dsr.deletion.request', 'dsr.deletion.complete']) {
      assert.ok(actions.includes(action), `${action} in ${actions.join(', ')}`);
    }
    const api = (await call(lethe.url, 'GET', '/api/v1/audit?limit=1000', { key: lethe.adminKey })).body;
    assert.equal(rows.length, Math.min(api.entries.length, 50), 'one row per entry, newest first');
    assert.match(rows[0]!, new RegExp(`^${api.entries[0].seq}\t`));
    assert.ok(!rows.join('\n').includes('cust-alice'), 'no personal data in the trail');
    const verification = page.getByTestId('audit-verification');
    await verification.waitFor();
    assert.equal(await verification.getAttribute('data-ok'), 'true');
    assert.match(await verification.innerText(), new RegExp(`Chain intact\\s+${api.entries.length} entries checked`));
    await shot('audit');

    const head = (await call(lethe.url, 'GET', '/api/v1/audit/head', { key: lethe.adminKey })).body;
    await page.fill('input[name=expect_head]', `${head.seq}:${'0'.repeat(64)}`);
    await page.getByRole('button', { name: 'Verify against it' }).click();
    await page.waitForSelector('[data-testid=audit-verification][data-ok=false]');
    assert.match(await verification.innerText(), /Chain broken/);
    await page.fill('input[name=expect_head]', head.anchor);
    await page.getByRole('button', { name: 'Verify against it' }).click();
    await page.waitForSelector('[data-testid=audit-verification][data-ok=true]');
  });

  test('a key without privileges sees only what it may, and a revoked key returns to sign-in', async () => {
    await filterLogs('customer_id::cust-bob');
    await waitCount(ROWS, BOB.length);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForSelector('input[name=api-key]');
    assert.equal((await storage('sessionStorage')).length, 0, 'sign out forgets the key');
    await signIn(newSecret);
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();
    const links = await page.getByRole('navigation', { name: 'Pages' }).getByRole('link').allInnerTexts();
    assert.deepEqual(links, ['Overview', 'Log explorer']);
    for (const forbidden of ['/keys', '/audit', '/subjects']) {
      await open(forbidden);
      await page.waitForURL(/\/dashboard\/$/);
      await page.getByTestId('overview-figures').waitFor();
    }
    await page.getByRole('link', { name: 'Log explorer' }).click();
    await page.waitForSelector('[data-testid=log-table]');
    assert.equal(await page.inputValue('input[name=filter]'), '', 'the previous key\'s filter was forgotten at sign-out');
    await shot('limited-key');
    await page.locator(ROWS).first().click();
    await waitCount('.bubble-user', BOB.length);
    assert.equal(await page.getByRole('button', { name: 'Correct', exact: true }).count(), 0, 'reviewing needs logs:annotate');
    await page.getByRole('link', { name: 'Log explorer' }).click();
    await page.waitForSelector('[data-testid=log-table]');

    const keys = (await call(lethe.url, 'GET', '/api/v1/keys', { key: lethe.adminKey })).body.keys;
    const reader = keys.find((k: { name: string }) => k.name === 'log reader');
    assert.equal((await call(lethe.url, 'DELETE', `/api/v1/keys/${reader.key_id}`, { key: lethe.adminKey })).status, 204);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForSelector('input[name=api-key]');
    await page.getByText('no longer accepts this API key').waitFor();
  });

  test('the pages ran under the CSP without errors', () => {
    assert.deepEqual(pageErrors.filter((e) => !/401|Unauthorized|status of 40[0-9]/.test(e)), []);
  });
});

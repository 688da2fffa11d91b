import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { bankingWorkspace } from '../fixtures/workspace.js';
import { call } from '../helpers/http.js';
import { runCli, startLethe, type LetheProcess } from '../helpers/lethe-process.js';
import { describeEachEngine, freshDatabase, storedContent, type FreshDatabase } from '../helpers/test-engines.js';
import { finishedJob, waitFor } from '../helpers/wait.js';

const V = 'version=2021-06-14';

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  status: number;
}

/** A linked service: `/flaky` fails each delivery's first two attempts, `/down` always fails, `/switch` fails while `down`. */
class Receiver {
  readonly received: Received[] = [];
  switchDown = true;
  private readonly failures = new Map<string, number>();
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => { raw += c.toString(); });
      req.on('end', () => {
        const delivery = String(req.headers['lethe-delivery']);
        const failed = this.failures.get(delivery) ?? 0;
        const path = req.url ?? '';
        const fail = path === '/down' || (path === '/flaky' && failed < 2) || (path === '/switch' && this.switchDown);
        if (fail) this.failures.set(delivery, failed + 1);
        const status = fail ? 500 : 200;
        this.received.push({ path, headers: req.headers, raw, status });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  accepted(path: string, event: string): Received | undefined {
    return this.received.find((r) => r.path === path && r.status === 200 && r.headers['lethe-event'] === event);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** What a receiver does with `Lethe-Signature`: recompute the HMAC over "<t>.<raw body>" and compare in constant time. */
function verify(secret: string, header: string, raw: string, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
  if (!parts.t || !parts.v1 || Math.abs(nowSeconds - Number(parts.t)) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${parts.t}.${raw}`).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describeEachEngine('deletion webhooks', (engine) => {
  const receiver = new Receiver();
  let database: FreshDatabase;
  let lethe: LetheProcess;
  let otherAdmin: string;
  let ws: string;
  // The receiver listens on 127.0.0.1, which webhooks may reach only when the operator allows it.
  const env = { LETHE_WEBHOOK_RETRY_BASE_MS: '300', LETHE_WEBHOOK_MAX_ATTEMPTS: '4', LETHE_WEBHOOK_TIMEOUT_MS: '2000', LETHE_WEBHOOK_ALLOW_HOSTS: '127.0.0.1' };

  before(async () => {
    await receiver.start();
    database = await freshDatabase(engine, 'webhooks');
    lethe = await startLethe({ env, databaseUrl: database.url });
    otherAdmin = JSON.parse((await runCli(lethe.env, ['keys', 'create', '--name', 'o', '--privileges', 'admin', '--instance', 'other'])).stdout).secret;
    ws = (await call(lethe.url, 'POST', `/v1/workspaces?${V}`, { key: lethe.adminKey, body: bankingWorkspace })).body.workspace_id;
  });
  after(async () => { await lethe.stop(); lethe.cleanup(); await receiver.close(); await database.drop(); });

  const register = async (path: string, events = ['deletion.requested', 'deletion.completed']) => {
    const res = await call(lethe.url, 'POST', '/api/v1/webhooks', { key: lethe.adminKey, body: { url: receiver.url + path, events } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { webhook_id: string; secret: string };
  };
  const deleteCustomer = async (customerId: string) => {
    const msg = await call(lethe.url, 'POST', `/v1/workspaces/${ws}/message?${V}`, {
      key: lethe.adminKey, body: { input: { text: 'what is my balance' } }, headers: { 'x-watson-metadata': `customer_id=${customerId}` },
    });
    assert.equal(msg.status, 200);
    const del = await call(lethe.url, 'DELETE', `/v1/user_data?${V}&customer_id=${customerId}`, { key: lethe.adminKey });
    assert.equal(del.status, 202);
    return del.headers.get('location')!.split('/').pop()!;
  };
  const deliveries = async (id: string) => (await call(lethe.url, 'GET', `/api/v1/webhooks/${id}/deliveries`, { key: lethe.adminKey })).body.deliveries;

  test('registration: http(s) only, known events, secret shown once, admin only, per instance', async () => {
    for (const body of [{ url: 'ftp://example.test/x', events: ['deletion.requested'] }, { url: 'not a url', events: ['deletion.requested'] },
      { url: 'https://example.test/x', events: ['user.created'] }, { url: 'https://example.test/x', events: [] },
      { url: 'https://user:pw@example.test/x', events: ['deletion.requested'] }]) {
      const res = await call(lethe.url, 'POST', '/api/v1/webhooks', { key: lethe.adminKey, body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, 'bad_request');
    }
    const hook = await register('/nowhere', ['deletion.completed']);
    assert.match(hook.secret, /^whsec_/);
    const listed = (await call(lethe.url, 'GET', '/api/v1/webhooks', { key: lethe.adminKey })).body.webhooks;
    assert.deepEqual(listed.map((h: { webhook_id: string }) => h.webhook_id), [hook.webhook_id]);
    assert.ok(!JSON.stringify(listed).includes(hook.secret), 'listings never show the secret');
    const cliList = await runCli(lethe.env, ['webhooks', 'list']);
    assert.equal(JSON.parse(cliList.stdout)[0].webhook_id, hook.webhook_id);
    assert.ok(!cliList.stdout.includes(hook.secret));

    const reader = JSON.parse((await runCli(lethe.env, ['keys', 'create', '--name', 'r', '--privileges', 'user_data:delete,logs:read'])).stdout).secret;
    const routes = [
      ['POST', '/api/v1/webhooks', { url: 'https://example.test/x', events: ['deletion.requested'] }],
      ['GET', '/api/v1/webhooks', undefined], ['DELETE', `/api/v1/webhooks/${hook.webhook_id}`, undefined],
      ['GET', `/api/v1/webhooks/${hook.webhook_id}/deliveries`, undefined],
    ] as const;
    for (const [method, path, body] of routes) {
      assert.equal((await call(lethe.url, method, path, { body })).status, 401, `${method} ${path} without a key`);
      assert.equal((await call(lethe.url, method, path, { key: 'lethe_not-a-key', body })).status, 401, `${method} ${path} with a bad key`);
      assert.equal((await call(lethe.url, method, path, { key: reader, body })).status, 403, `${method} ${path} without admin`);
    }
    assert.deepEqual((await call(lethe.url, 'GET', '/api/v1/webhooks', { key: otherAdmin })).body.webhooks, [], 'another instance sees none');
    assert.equal((await call(lethe.url, 'GET', `/api/v1/webhooks/${hook.webhook_id}/deliveries`, { key: otherAdmin })).status, 404);
    assert.equal((await call(lethe.url, 'DELETE', `/api/v1/webhooks/${hook.webhook_id}`, { key: otherAdmin })).status, 404);
    const removed = await runCli(lethe.env, ['webhooks', 'remove', hook.webhook_id]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.deepEqual((await call(lethe.url, 'GET', '/api/v1/webhooks', { key: lethe.adminKey })).body.webhooks, []);
    assert.equal((await call(lethe.url, 'DELETE', `/api/v1/webhooks/${hook.webhook_id}`, { key: lethe.adminKey })).status, 404);
  });

  test('a deletion is announced, retried until accepted, signed, and its subject is erased once delivered', async () => {
    const hook = await register('/flaky');
    const subject = 'propagate-me-4711';
    const jobId = await deleteCustomer(subject);
    const job = await finishedJob(lethe.url, lethe.adminKey, jobId);
    assert.equal(job.status, 'completed');
    const done = await waitFor(() => deliveries(hook.webhook_id), (d: any[]) => d.length === 2 && d.every((x) => x.status === 'delivered'));
    for (const d of done) {
      assert.deepEqual([d.status, d.attempts, d.last_http_status, d.job_id], ['delivered', 3, 200, jobId], 'two failures, then accepted');
      assert.equal(d.payload, undefined, 'delivery listings carry no body');
    }

    const requested = receiver.accepted('/flaky', 'deletion.requested')!;
    const body = JSON.parse(requested.raw);
    assert.deepEqual(body.data.subject, { kind: 'customer_id', value: subject }, 'a linked service is told whom to delete');
    assert.equal(body.data.job_id, jobId);
    assert.equal(body.event, 'deletion.requested');
    assert.equal(body.id, requested.headers['lethe-delivery'], 'the body names its delivery, for receiver idempotency');
    assert.ok(Date.parse(body.data.cutoff) <= Date.now());
    const attempts = receiver.received.filter((r) => r.headers['lethe-delivery'] === body.id);
    assert.equal(attempts.length, 3);
    assert.equal(new Set(attempts.map((a) => a.raw)).size, 1, 'every attempt sends the same body');
    for (const a of attempts) assert.ok(verify(hook.secret, String(a.headers['lethe-signature']), a.raw), 'each attempt is signed with the secret');

    const signature = String(requested.headers['lethe-signature']);
    assert.equal(verify(hook.secret, signature, requested.raw.replace(subject, 'someone-else')), false, 'a tampered body is detected');
    assert.equal(verify('whsec_wrong', signature, requested.raw), false, 'a signature made with another secret is detected');
    assert.equal(verify(hook.secret, signature, requested.raw, Math.floor(Date.now() / 1000) + 3600), false, 'a replay an hour later is refused');

    const completed = receiver.accepted('/flaky', 'deletion.completed')!;
    assert.ok(verify(hook.secret, String(completed.headers['lethe-signature']), completed.raw));
    const receipt = JSON.parse(completed.raw).data;
    assert.deepEqual(receipt, {
      job_id: jobId, subject: { kind: 'customer_id', hash: job.subject.hash }, cutoff: job.cutoff, verified: job.verified, deleted: { logs: 1, sessions: 0, events: 0 },
    });
    assert.ok(!completed.raw.includes(subject), 'the receipt holds no personal data');

    const bytes = await waitFor(async () => storedContent(database.url), (b) => !b.includes(subject), 10_000);
    assert.ok(!bytes.includes(subject), 'nothing of the subject remains in the database once delivered');
    await call(lethe.url, 'DELETE', `/api/v1/webhooks/${hook.webhook_id}`, { key: lethe.adminKey });
  });

  test('a receiver that never accepts: given up after the configured attempts, and the payload erased', async () => {
    const hook = await register('/down', ['deletion.requested']);
    const subject = 'never-accepted-9321';
    await deleteCustomer(subject);
    const [d] = await waitFor(() => deliveries(hook.webhook_id), (x: any[]) => x[0]?.status === 'failed');
    assert.deepEqual([d.status, d.attempts, d.last_http_status, d.last_error], ['failed', 4, 500, 'HTTP 500']);
    assert.equal(receiver.received.filter((r) => r.path === '/down').length, 4, 'exactly LETHE_WEBHOOK_MAX_ATTEMPTS attempts');
    const bytes = await waitFor(async () => storedContent(database.url), (b) => !b.includes(subject), 10_000);
    assert.ok(!bytes.includes(subject), 'a payload given up on is erased too');
    await call(lethe.url, 'DELETE', `/api/v1/webhooks/${hook.webhook_id}`, { key: lethe.adminKey });
  });

  test('pending deliveries survive a restart', async () => {
    // Enough attempts that none runs out while the server is down, however slow this machine is.
    const patient = { ...env, LETHE_WEBHOOK_MAX_ATTEMPTS: '50' };
    await lethe.stop();
    lethe = await startLethe({ dir: lethe.dir, adminKey: lethe.adminKey, databaseUrl: database.url, env: patient });
    const hook = await register('/switch', ['deletion.requested']);
    const jobId = await deleteCustomer('restart-subject');
    await waitFor(() => deliveries(hook.webhook_id), (x: any[]) => x[0]?.attempts >= 2);
    await lethe.stop();
    receiver.switchDown = false;
    lethe = await startLethe({ dir: lethe.dir, adminKey: lethe.adminKey, databaseUrl: database.url, env: patient });
    const [d] = await waitFor(() => deliveries(hook.webhook_id), (x: any[]) => x[0]?.status === 'delivered');
    assert.equal(d.status, 'delivered');
    assert.ok(d.attempts >= 3, 'the attempts made before the restart count');
    assert.equal(JSON.parse(receiver.accepted('/switch', 'deletion.requested')!.raw).data.job_id, jobId);
  });
});

describeEachEngine('webhook targets: no internal address unless the operator allows it', (engine) => {
  const receiver = new Receiver();
  let database: FreshDatabase;
  let lethe: LetheProcess;
  const env = { LETHE_WEBHOOK_RETRY_BASE_MS: '200', LETHE_WEBHOOK_MAX_ATTEMPTS: '2', LETHE_WEBHOOK_TIMEOUT_MS: '2000' };

  before(async () => {
    await receiver.start();
    database = await freshDatabase(engine, 'webhook-targets');
    lethe = await startLethe({ env, databaseUrl: database.url });
  });
  after(async () => { await lethe.stop(); lethe.cleanup(); await receiver.close(); await database.drop(); });

  const register = (url: string) => call(lethe.url, 'POST', '/api/v1/webhooks', { key: lethe.adminKey, body: { url, events: ['deletion.requested'] } });
  const requestDeletion = async (customerId: string) => {
    const del = await call(lethe.url, 'DELETE', `/v1/user_data?${V}&customer_id=${customerId}`, { key: lethe.adminKey });
    assert.equal(del.status, 202);
  };
  const deliveries = async (id: string) => (await call(lethe.url, 'GET', `/api/v1/webhooks/${id}/deliveries`, { key: lethe.adminKey })).body.deliveries;

  test('registration refuses every spelling of an internal address, by API and CLI, in Lethe\'s error format', async () => {
    const port = new URL(receiver.url).port;
    const internal = [`http://127.0.0.1:${port}/x`, 'http://2130706433/', 'http://0x7f.1/', 'http://0177.0.0.1/', 'http://127.1/', 'http://0.0.0.0/',
      'http://0/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://[::ffff:a9fe:a9fe]/', 'http://169.254.169.254/latest/meta-data/',
      'http://[fd00:ec2::254]/', 'http://10.0.0.5/', 'http://172.16.0.1/', 'http://192.168.1.1/', 'http://100.64.0.1/', 'http://198.18.0.1/',
      'http://[fe80::1]/', 'http://[fc00::1]/', 'http://[64:ff9b::7f00:1]/', 'http://224.0.0.1/', 'http://255.255.255.255/', 'https://0xa9fea9fe/'];
    for (const url of internal) {
      const res = await register(url);
      assert.equal(res.status, 400, url);
      assert.equal(res.body.error.code, 'bad_request', url);
      assert.match(res.body.error.message, /internal address/, url);
    }
    const cli = await runCli(lethe.env, ['webhooks', 'add', '--url', 'http://169.254.169.254/']);
    assert.notEqual(cli.code, 0);
    assert.match(cli.stderr, /internal address/);
    assert.deepEqual((await call(lethe.url, 'GET', '/api/v1/webhooks', { key: lethe.adminKey })).body.webhooks, [], 'nothing was registered');
  });

  test('a host name that resolves to loopback is refused at every attempt, and the log shows a generic failure', async () => {
    const hook = (await register(`http://localhost:${new URL(receiver.url).port}/via-name`)).body;
    await requestDeletion('refused-by-name');
    const [d] = await waitFor(() => deliveries(hook.webhook_id), (x: any[]) => x[0]?.status === 'failed');
    assert.deepEqual([d.status, d.attempts, d.last_http_status, d.last_error], ['failed', 2, null, 'connection failed']);
    assert.deepEqual(receiver.received.filter((r) => r.path === '/via-name'), [], 'nothing reached the receiver');
    assert.match(lethe.output(), /"cause":"blocked address"/, 'the operator\'s log says why');
    await call(lethe.url, 'DELETE', `/api/v1/webhooks/${hook.webhook_id}`, { key: lethe.adminKey });
  });

  test('with LETHE_WEBHOOK_ALLOW_HOSTS, the listed address is registered and delivered to, by address and by name', async () => {
    await lethe.stop();
    lethe = await startLethe({ dir: lethe.dir, adminKey: lethe.adminKey, databaseUrl: database.url, env: { ...env, LETHE_WEBHOOK_ALLOW_HOSTS: '127.0.0.1' } });
    const port = new URL(receiver.url).port;
    const byName = (await register(`http://localhost:${port}/allowed-name`)).body;
    const byAddress = await register(`http://127.0.0.1:${port}/allowed-address`);
    assert.equal(byAddress.status, 201);
    assert.equal((await register('http://169.254.169.254/')).status, 400, 'what is not listed stays refused');
    await requestDeletion('allowed-target');
    for (const id of [byName.webhook_id, byAddress.body.webhook_id]) {
      const [d] = await waitFor(() => deliveries(id), (x: any[]) => x[0]?.status === 'delivered');
      assert.deepEqual([d.status, d.last_http_status], ['delivered', 200]);
    }
    assert.ok(receiver.accepted('/allowed-name', 'deletion.requested'));
    assert.ok(receiver.accepted('/allowed-address', 'deletion.requested'));
  });
});

/** A receiver that reads each request and never answers, counting the requests open at once. */
class SilentReceiver {
  open = 0;
  mostOpen = 0;
  closed = 0;
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req) => {
      this.open++;
      this.mostOpen = Math.max(this.mostOpen, this.open);
      req.resume();
      req.socket.once('close', () => { this.open--; this.closed++; });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describeEachEngine('webhook delivery: one instance\'s slow receiver does not hold up another\'s', (engine) => {
  const silent = new SilentReceiver();
  const receiver = new Receiver();
  let database: FreshDatabase;
  let lethe: LetheProcess;
  let otherAdmin: string;

  before(async () => {
    await silent.start();
    await receiver.start();
    database = await freshDatabase(engine, 'webhook-fairness');
    // Attempts to the silent receiver stay open for the whole test: only their timeout would end them.
    lethe = await startLethe({ databaseUrl: database.url, env: { LETHE_WEBHOOK_TIMEOUT_MS: '120000', LETHE_WEBHOOK_ALLOW_HOSTS: '127.0.0.1' } });
    otherAdmin = JSON.parse((await runCli(lethe.env, ['keys', 'create', '--name', 'o', '--privileges', 'admin', '--instance', 'other'])).stdout).secret;
  });
  // The silent receiver lets go first, so that stopping the server does not wait for the attempts' timeout.
  after(async () => { await silent.close(); await lethe.stop(); lethe.cleanup(); await receiver.close(); await database.drop(); });

  test('instance B\'s delivery arrives while instance A\'s attempts still hang, and A holds at most four at once', async () => {
    const register = (key: string, url: string) => call(lethe.url, 'POST', '/api/v1/webhooks', { key, body: { url, events: ['deletion.requested'] } });
    for (let i = 0; i < 6; i++) assert.equal((await register(lethe.adminKey, `${silent.url}/a${i}`)).status, 201);
    assert.equal((await call(lethe.url, 'DELETE', `/v1/user_data?${V}&customer_id=a-subject`, { key: lethe.adminKey })).status, 202);
    await waitFor(async () => silent.open, (n) => n >= 4);
    assert.equal(silent.open, 4, 'A\'s attempts are under way');

    assert.equal((await register(otherAdmin, `${receiver.url}/b`)).status, 201);
    assert.equal((await call(lethe.url, 'DELETE', `/v1/user_data?${V}&customer_id=b-subject`, { key: otherAdmin })).status, 202);
    const arrived = await waitFor(async () => receiver.accepted('/b', 'deletion.requested'), (r) => r !== undefined);
    assert.ok(arrived, 'B\'s delivery arrived');
    assert.deepEqual([silent.closed, silent.open], [0, 4], 'while every one of A\'s attempts was still waiting for an answer');
    assert.equal(silent.mostOpen, 4, 'A never had more than four attempts in flight');
    assert.equal(JSON.parse(arrived.raw).instance_id, 'other');
  });
});

import { IdempotencyService } from '../../src/modules/org-api/idempotency.service';
import { verifyWebhook } from '../../src/modules/integration/webhook-signature';
import { WebhooksService } from '../../src/modules/integration/webhooks.service';
import { orgClient, OrgClient, startReceiver } from '../helpers/org';
import { createTestApp, TestApp } from '../helpers/test-app';

describe('Integration: webhooks, Idempotency-Key, per-client limits and the audit of organization calls', () => {
  let t: TestApp;
  let bankA: OrgClient;
  let bankB: OrgClient;
  let readOnly: OrgClient;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const auth = (c: OrgClient) => ({ Authorization: `Bearer ${c.token}` });
  const emit = (org: string, event: 'inquiry.answered' | 'payment.settled', data: Record<string, unknown>) =>
    t.orm.em.fork().transactional((tx) => t.app.get(WebhooksService).emit(tx, org, event, data));
  /** Makes every pending webhook job due now (as if its backoff had passed). */
  const timePasses = () => t.sql(`update job set run_at = now() where queue = 'webhook.deliver' and status = 'pending'`);

  beforeAll(async () => {
    t = await createTestApp({ ORG_RATE_LIMIT_PER_MINUTE: '1000', ORG_QUOTA_PER_DAY: '100000' });
    bankA = await orgClient(t, 'بانک الف (آزمون)', ['webhooks:manage', 'inquiries:read']);
    bankB = await orgClient(t, 'بانک ب (آزمون)', ['webhooks:manage']);
    readOnly = await orgClient(t, 'اداره آزمون', ['inquiries:read']);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await t?.close();
  });

  describe('endpoints', () => {
    it('registers an endpoint, shows the secret once, lists without it', async () => {
      const res = await t.http().post('/api/v1/org/webhooks').set(auth(bankA)).send({ url: receiver.url, events: ['inquiry.answered', 'payment.settled'] }).expect(201);
      expect(res.body.secret).toMatch(/^whsec_[0-9a-f]{48}$/);
      expect(res.body.events).toEqual(['inquiry.answered', 'payment.settled']);
      const list = await t.http().get('/api/v1/org/webhooks').set(auth(bankA)).expect(200);
      expect(list.body).toHaveLength(1);
      expect(list.body[0].secret).toBeUndefined();
      expect(JSON.stringify(list.body)).not.toContain(res.body.secret);
      // bank B sees none of bank A's endpoints
      expect((await t.http().get('/api/v1/org/webhooks').set(auth(bankB)).expect(200)).body).toEqual([]);
      await t.http().delete(`/api/v1/org/webhooks/${res.body.id}`).set(auth(bankB)).expect(404);
      await t.http().delete(`/api/v1/org/webhooks/${res.body.id}`).set(auth(bankA)).expect(204);
      expect((await t.http().get('/api/v1/org/webhooks').set(auth(bankA)).expect(200)).body).toEqual([]);
    });

    it('missing scope → 403, no token → 401, other principals → 403', async () => {
      const res = await t.http().get('/api/v1/org/webhooks').set(auth(readOnly)).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
      await t.http().post('/api/v1/org/webhooks').set(auth(readOnly)).send({ url: receiver.url, events: ['inquiry.answered'] }).expect(403);
      await t.http().get('/api/v1/org/webhooks').expect(401);
    });

    it.each([
      ['http://10.1.2.3/hook', 'WEBHOOK_URL_FORBIDDEN'],
      ['https://192.168.1.10/hook', 'WEBHOOK_URL_FORBIDDEN'],
      ['https://169.254.169.254/latest/meta-data', 'WEBHOOK_URL_FORBIDDEN'],
      ['https://100.64.0.1/hook', 'WEBHOOK_URL_FORBIDDEN'],
      ['https://[fd00::1]/hook', 'WEBHOOK_URL_FORBIDDEN'],
      ['https://[::ffff:10.0.0.1]/hook', 'WEBHOOK_URL_FORBIDDEN'],
      ['https://224.0.0.1/hook', 'WEBHOOK_URL_FORBIDDEN'],
      ['ftp://example.com/hook', 'WEBHOOK_URL_INVALID'],
      ['https://user:pass@example.com/hook', 'WEBHOOK_URL_INVALID'],
      ['not a url', 'WEBHOOK_URL_INVALID'],
      ['https://does-not-exist.invalid/hook', 'WEBHOOK_URL_UNRESOLVABLE'],
    ])('refuses %s (%s)', async (url, code) => {
      const res = await t.http().post('/api/v1/org/webhooks').set(auth(bankA)).send({ url, events: ['inquiry.answered'] }).expect(400);
      expect(res.body.code).toBe(code);
    });

    it('refuses unknown events and empty lists with field errors', async () => {
      const res = await t.http().post('/api/v1/org/webhooks').set(auth(bankA)).send({ url: receiver.url, events: ['inquiry.exploded'] }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      await t.http().post('/api/v1/org/webhooks').set(auth(bankA)).send({ url: receiver.url, events: [] }).expect(400);
    });

    it('refuses loopback when WEBHOOKS_ALLOW_LOOPBACK is off (real mode)', async () => {
      const { checkWebhookUrl } = await import('../../src/modules/integration/webhook-url');
      await expect(checkWebhookUrl('http://127.0.0.1:9/x', false)).rejects.toMatchObject({ code: 'WEBHOOK_URL_INVALID' });
      await expect(checkWebhookUrl('https://127.0.0.1:9/x', false)).rejects.toMatchObject({ code: 'WEBHOOK_URL_FORBIDDEN' });
      await expect(checkWebhookUrl('https://[::1]/x', false)).rejects.toMatchObject({ code: 'WEBHOOK_URL_FORBIDDEN' });
      // every resolved address is checked: one private address among public ones is enough to refuse
      const resolver = async () => [{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.7', family: 4 }];
      await expect(checkWebhookUrl('https://rebind.example/x', false, resolver)).rejects.toMatchObject({ code: 'WEBHOOK_URL_FORBIDDEN' });
      const ok = await checkWebhookUrl('https://bank.example/x', false, async () => [{ address: '93.184.216.34', family: 4 }]);
      expect(ok.addresses).toEqual([{ address: '93.184.216.34', family: 4 }]);
    });
  });

  describe('deliveries', () => {
    let endpointId: string;
    let secret: string;

    beforeAll(async () => {
      const res = await t.http().post('/api/v1/org/webhooks').set(auth(bankA)).send({ url: receiver.url, events: ['inquiry.answered'] }).expect(201);
      endpointId = res.body.id;
      secret = res.body.secret;
    });

    it('sends nothing when the emitting transaction rolls back', async () => {
      await expect(
        t.orm.em.fork().transactional(async (tx) => {
          await t.app.get(WebhooksService).emit(tx, bankA.organizationId, 'inquiry.answered', { trackingCode: '000000000000' });
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await t.jobs.drain();
      expect(receiver.received).toHaveLength(0);
      // not subscribed: no delivery either
      expect(await emit(bankA.organizationId, 'payment.settled', { billId: '1' })).toBeNull();
    });

    it('retries a failing receiver with backoff, logs each attempt, delivers once it recovers; signature verifies', async () => {
      receiver.setStatus(503);
      const eventId = await emit(bankA.organizationId, 'inquiry.answered', { trackingCode: '123456789012', status: 'answered' });
      expect(eventId).toMatch(/^evt_[0-9a-f]{32}$/);
      await t.jobs.drain();
      expect(receiver.received).toHaveLength(1);
      const [job] = await t.sql<{ run_at: Date; attempts: number; status: string }>(`select run_at, attempts, status from job where queue = 'webhook.deliver'`);
      expect(job.status).toBe('pending');
      expect(new Date(job.run_at).getTime()).toBeGreaterThan(Date.now() + 20_000); // backed off ~30 s
      await t.jobs.drain(); // not due yet: nothing sent
      expect(receiver.received).toHaveLength(1);

      await timePasses();
      await t.jobs.drain();
      expect(receiver.received).toHaveLength(2);
      const [job2] = await t.sql<{ run_at: Date }>(`select run_at from job where queue = 'webhook.deliver'`);
      expect(new Date(job2.run_at).getTime()).toBeGreaterThan(Date.now() + 45_000); // doubled

      receiver.setStatus(200);
      await timePasses();
      await t.jobs.drain();
      expect(receiver.received).toHaveLength(3);
      await timePasses();
      await t.jobs.drain();
      expect(receiver.received).toHaveLength(3); // delivered once, never again

      const last = receiver.received[2];
      expect(last.headers['content-type']).toBe('application/json');
      expect(last.headers['x-qazvin-event']).toBe('inquiry.answered');
      expect(last.headers['x-qazvin-event-id']).toBe(eventId);
      const signature = last.headers['x-qazvin-signature'] as string;
      expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(verifyWebhook(secret, last.body, signature)).toBe(true);
      expect(verifyWebhook(secret, last.body.replace('answered', 'rejected'), signature)).toBe(false);
      expect(verifyWebhook('whsec_wrong', last.body, signature)).toBe(false);
      expect(JSON.parse(last.body)).toMatchObject({ id: eventId, type: 'inquiry.answered', data: { trackingCode: '123456789012' } });

      const list = await t.http().get('/api/v1/org/webhooks/deliveries').set(auth(bankA)).expect(200);
      expect(list.body.meta).toEqual({ page: 1, pageSize: 20, total: 1 });
      const d = list.body.items[0];
      expect(d).toMatchObject({ endpointId, eventId, event: 'inquiry.answered', status: 'delivered', attempts: 3, lastStatusCode: 200, lastError: null });
      expect(d.attemptLog.map((a: { statusCode: number; error: string | null }) => [a.statusCode, a.error])).toEqual([
        [503, 'HTTP 503'],
        [503, 'HTTP 503'],
        [200, null],
      ]);
      expect(d.attemptLog.every((a: { durationMs: number }) => a.durationMs >= 0)).toBe(true);
      // own deliveries only
      expect((await t.http().get('/api/v1/org/webhooks/deliveries').set(auth(bankB)).expect(200)).body).toEqual({ items: [], meta: { page: 1, pageSize: 20, total: 0 } });
    });

    it('logs a connection error as an attempt without a status', async () => {
      const dead = await startReceiver();
      await dead.close();
      const res = await t.http().post('/api/v1/org/webhooks').set(auth(bankB)).send({ url: dead.url, events: ['payment.settled'] }).expect(201);
      await emit(bankB.organizationId, 'payment.settled', { billId: '123' });
      await t.jobs.drain();
      const list = await t.http().get('/api/v1/org/webhooks/deliveries?status=pending').set(auth(bankB)).expect(200);
      expect(list.body.items).toHaveLength(1);
      expect(list.body.items[0].endpointId).toBe(res.body.id);
      expect(list.body.items[0].attemptLog[0]).toMatchObject({ attempt: 1, statusCode: null });
      expect(list.body.items[0].attemptLog[0].error).toMatch(/ECONNREFUSED/);
    });

    it('gives up after the retry window (24 h) and marks the delivery failed', async () => {
      receiver.setStatus(500);
      await emit(bankA.organizationId, 'inquiry.answered', { trackingCode: '999999999999' });
      await t.sql(`update webhook_delivery set created_at = now() - interval '25 hours' where status = 'pending' and organization_id = $1`, [bankA.organizationId]);
      await t.jobs.drain();
      const failed = await t.http().get('/api/v1/org/webhooks/deliveries?status=failed').set(auth(bankA)).expect(200);
      expect(failed.body.items).toHaveLength(1);
      expect(failed.body.items[0].attempts).toBe(1);
      const [job] = await t.sql<{ status: string }>(`select j.status from job j where j.payload->>'deliveryId' = $1`, [failed.body.items[0].id]);
      expect(job.status).toBe('completed');
      receiver.setStatus(200);
    });

    it('redelivers a delivery (same event id, fresh signature), own deliveries only', async () => {
      const [failed] = (await t.http().get('/api/v1/org/webhooks/deliveries?status=failed').set(auth(bankA)).expect(200)).body.items;
      await t.http().post(`/api/v1/org/webhooks/deliveries/${failed.id}/redeliver`).set(auth(bankB)).expect(404);
      await t.http().post(`/api/v1/org/webhooks/deliveries/not-a-uuid/redeliver`).set(auth(bankA)).expect(404);
      const before = receiver.received.length;
      const res = await t.http().post(`/api/v1/org/webhooks/deliveries/${failed.id}/redeliver`).set(auth(bankA)).expect(202);
      expect(res.body).toMatchObject({ eventId: failed.eventId, status: 'pending', redeliveryOf: failed.id });
      await t.jobs.drain();
      expect(receiver.received.length).toBe(before + 1);
      const got = receiver.received[before];
      expect(JSON.parse(got.body).id).toBe(failed.eventId);
      expect(verifyWebhook(secret, got.body, got.headers['x-qazvin-signature'] as string)).toBe(true);
    });

    it('rotates the secret: later deliveries are signed with the new one', async () => {
      // another organization cannot rotate it (404, like an unknown endpoint), nor a malformed id
      const foreign = await t.http().post(`/api/v1/org/webhooks/${endpointId}/rotate-secret`).set(auth(bankB)).expect(404);
      expect(foreign.body.code).toBe('WEBHOOK_NOT_FOUND');
      expect(JSON.stringify(foreign.body)).not.toMatch(/whsec_/);
      await t.http().post('/api/v1/org/webhooks/not-a-uuid/rotate-secret').set(auth(bankA)).expect(404);
      const res = await t.http().post(`/api/v1/org/webhooks/${endpointId}/rotate-secret`).set(auth(bankA)).expect(201);
      expect(res.body.secret).not.toBe(secret);
      const before = receiver.received.length;
      await emit(bankA.organizationId, 'inquiry.answered', { trackingCode: '111111111111' });
      await t.jobs.drain();
      const got = receiver.received[before];
      expect(verifyWebhook(res.body.secret, got.body, got.headers['x-qazvin-signature'] as string)).toBe(true);
      expect(verifyWebhook(secret, got.body, got.headers['x-qazvin-signature'] as string)).toBe(false);
      secret = res.body.secret;
    });

    it('checks the address again at delivery: one now private fails for good, unsent; an unresolvable host is retried', async () => {
      const bankC = await orgClient(t, 'بانک ج (آزمون)', ['webhooks:manage']);
      const created = await t.http().post('/api/v1/org/webhooks').set(auth(bankC)).send({ url: receiver.url, events: ['payment.settled'] }).expect(201);
      const deliveries = async () => (await t.http().get('/api/v1/org/webhooks/deliveries').set(auth(bankC)).expect(200)).body.items;
      const before = receiver.received.length;

      // DNS now points it inside the network (simulated by the stored URL)
      await t.sql(`update webhook_endpoint set url = 'https://10.0.0.1/hook' where id = $1`, [created.body.id]);
      await emit(bankC.organizationId, 'payment.settled', { billId: '1' });
      await t.jobs.drain();
      let [d] = await deliveries();
      expect(d).toMatchObject({ status: 'failed', attempts: 1, lastError: 'WEBHOOK_URL_FORBIDDEN', lastStatusCode: null });

      // the host does not resolve: the delivery stays pending and succeeds once it resolves again
      await t.sql(`update webhook_endpoint set url = 'https://does-not-exist.invalid/hook' where id = $1`, [created.body.id]);
      await emit(bankC.organizationId, 'payment.settled', { billId: '2' });
      await t.jobs.drain();
      [d] = await deliveries();
      expect(d).toMatchObject({ status: 'pending', attempts: 1, lastError: 'WEBHOOK_URL_UNRESOLVABLE' });
      expect(receiver.received.length).toBe(before);
      await t.sql(`update webhook_endpoint set url = $2 where id = $1`, [created.body.id, receiver.url]);
      await timePasses();
      await t.jobs.drain();
      [d] = await deliveries();
      expect(d).toMatchObject({ status: 'delivered', attempts: 2 });
      expect(receiver.received.length).toBe(before + 1);
    });

    it('pages the delivery log: {items, meta}, pageSize limits, meta.total counts all, page 2 differs', async () => {
      const bankD = await orgClient(t, 'بانک د (آزمون)', ['webhooks:manage']);
      await t.http().post('/api/v1/org/webhooks').set(auth(bankD)).send({ url: receiver.url, events: ['payment.settled'] }).expect(201);
      await emit(bankD.organizationId, 'payment.settled', { billId: '7' });
      await t.jobs.drain();
      const [first] = (await t.http().get('/api/v1/org/webhooks/deliveries').set(auth(bankD)).expect(200)).body.items;
      // two more deliveries through the API
      for (const key of ['page-1', 'page-2']) {
        await t.http().post(`/api/v1/org/webhooks/deliveries/${first.id}/redeliver`).set(auth(bankD)).set('Idempotency-Key', key).expect(202);
      }
      await t.jobs.drain();
      const page1 = await t.http().get('/api/v1/org/webhooks/deliveries?pageSize=2').set(auth(bankD)).expect(200);
      expect(Object.keys(page1.body).sort()).toEqual(['items', 'meta']);
      expect(page1.body.meta).toEqual({ page: 1, pageSize: 2, total: 3 });
      expect(page1.body.items).toHaveLength(2);
      const page2 = await t.http().get('/api/v1/org/webhooks/deliveries?pageSize=2&page=2').set(auth(bankD)).expect(200);
      expect(page2.body.meta).toEqual({ page: 2, pageSize: 2, total: 3 });
      expect(page2.body.items.map((d: { id: string }) => d.id)).toEqual([first.id]);
      expect(page1.body.items.map((d: { id: string }) => d.id)).not.toContain(first.id);
      expect(page1.body.items.every((d: { redeliveryOf: string; attemptLog: unknown[] }) => d.redeliveryOf === first.id && d.attemptLog.length === 1)).toBe(true);
      // the filters keep working with pages
      expect((await t.http().get('/api/v1/org/webhooks/deliveries?status=delivered&pageSize=1').set(auth(bankD)).expect(200)).body.meta).toEqual({ page: 1, pageSize: 1, total: 3 });
      expect((await t.http().get('/api/v1/org/webhooks/deliveries?status=failed').set(auth(bankD)).expect(200)).body.meta.total).toBe(0);
      await t.http().get('/api/v1/org/webhooks/deliveries?pageSize=101').set(auth(bankD)).expect(400);
      await t.http().get('/api/v1/org/webhooks/deliveries?limit=5').set(auth(bankD)).expect(400);
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the stored answer for the same key and body; a different body is 409 IDEMPOTENCY_KEY_REUSED', async () => {
      const body = { url: receiver.url, events: ['inquiry.rejected'], description: 'idem' };
      const first = await t.http().post('/api/v1/org/webhooks').set(auth(bankA)).set('Idempotency-Key', 'key-1').send(body).expect(201);
      const again = await t.http().post('/api/v1/org/webhooks').set(auth(bankA)).set('Idempotency-Key', 'key-1').send(body).expect(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(again.headers['content-type']).toMatch(/application\/json/);
      const rows = await t.sql(`select id from webhook_endpoint where description = 'idem'`);
      expect(rows).toHaveLength(1); // executed once
      const conflict = await t.http().post('/api/v1/org/webhooks').set(auth(bankA)).set('Idempotency-Key', 'key-1').send({ ...body, description: 'other' }).expect(409);
      expect(conflict.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      // keys are per organization: bank B may use the same key
      await t.http().post('/api/v1/org/webhooks').set(auth(bankB)).set('Idempotency-Key', 'key-1').send(body).expect(201);
    });

    it('replays a 204 and an error answer with their status', async () => {
      const created = await t.http().post('/api/v1/org/webhooks').set(auth(bankA)).send({ url: receiver.url, events: ['inquiry.submitted'] }).expect(201);
      await t.http().delete(`/api/v1/org/webhooks/${created.body.id}`).set(auth(bankA)).set('Idempotency-Key', 'del-1').expect(204);
      const replay = await t.http().delete(`/api/v1/org/webhooks/${created.body.id}`).set(auth(bankA)).set('Idempotency-Key', 'del-1').expect(204);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      const bad = await t.http().post('/api/v1/org/webhooks').set(auth(bankA)).set('Idempotency-Key', 'bad-1').send({ url: 'https://10.0.0.1/', events: ['inquiry.submitted'] }).expect(400);
      const badAgain = await t.http().post('/api/v1/org/webhooks').set(auth(bankA)).set('Idempotency-Key', 'bad-1').send({ url: 'https://10.0.0.1/', events: ['inquiry.submitted'] }).expect(400);
      expect(badAgain.body.code).toBe(bad.body.code);
      expect(badAgain.headers['content-type']).toMatch(/application\/problem\+json/);
    });

    it('refuses a malformed key; a key still in progress is 409 IDEMPOTENCY_IN_PROGRESS; expired keys run again', async () => {
      const bad = await t.http().post('/api/v1/org/webhooks').set(auth(bankA)).set('Idempotency-Key', 'x'.repeat(201)).send({ url: receiver.url, events: ['inquiry.submitted'] }).expect(400);
      expect(bad.body.code).toBe('IDEMPOTENCY_KEY_INVALID');
      const body = { url: receiver.url, events: ['inquiry.submitted'], description: 'racing' };
      // the same request already claimed by a concurrent one (the row as the first request leaves it while running)
      const first = await t.http().post('/api/v1/org/webhooks').set(auth(bankA)).set('Idempotency-Key', 'race-1').send(body).expect(201);
      await t.sql(`update idempotency_record set state = 'in_progress', response_status = null where scope_key = $1`, [`${bankA.organizationId}:race-1`]);
      const busy = await t.http().post('/api/v1/org/webhooks').set(auth(bankA)).set('Idempotency-Key', 'race-1').send(body).expect(409);
      expect(busy.body.code).toBe('IDEMPOTENCY_IN_PROGRESS');
      expect(busy.headers['retry-after']).toBe('1');
      await t.sql(`update idempotency_record set expires_at = now() - interval '1 second' where scope_key = $1`, [`${bankA.organizationId}:race-1`]);
      const rerun = await t.http().post('/api/v1/org/webhooks').set(auth(bankA)).set('Idempotency-Key', 'race-1').send(body).expect(201);
      expect(rerun.body.id).not.toBe(first.body.id);
      // the hourly purge deletes expired records
      await t.sql(`update idempotency_record set expires_at = now() - interval '1 second' where scope_key = $1`, [`${bankA.organizationId}:race-1`]);
      await t.app.get(IdempotencyService).purgeExpired();
      expect(await t.sql(`select 1 from idempotency_record where scope_key = $1`, [`${bankA.organizationId}:race-1`])).toHaveLength(0);
    });

    it('concurrent requests with one key: exactly one runs', async () => {
      const body = { url: receiver.url, events: ['inquiry.needs_correction'], description: 'concurrent' };
      const results = await Promise.all(
        Array.from({ length: 5 }, () => t.http().post('/api/v1/org/webhooks').set(auth(bankB)).set('Idempotency-Key', 'conc-1').send(body)),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
      expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'IDEMPOTENCY_IN_PROGRESS')).toBe(true);
      const rows = await t.sql(`select id from webhook_endpoint where description = 'concurrent'`);
      expect(rows).toHaveLength(1);
      const ids = new Set(results.filter((r) => r.status === 201).map((r) => r.body.id));
      expect(ids.size).toBe(1);
    });
  });

  describe('rate limits, quotas and audit', () => {
    it('sends RateLimit headers and records every call with request and response hashes', async () => {
      const res = await t.http().get('/api/v1/org/webhooks').set(auth(bankA)).set('X-Request-Id', 'audit-probe-1').expect(200);
      expect(Number(res.headers['ratelimit-limit'])).toBe(1000);
      expect(Number(res.headers['ratelimit-remaining'])).toBeLessThan(1000);
      expect(Number(res.headers['ratelimit-reset'])).toBeGreaterThan(0);
      const { createHash } = await import('node:crypto');
      let rows: Array<{ metadata: Record<string, unknown>; actor_type: string; actor_id: string }> = [];
      for (let i = 0; i < 20 && !rows.length; i++) {
        rows = await t.sql(`select metadata, actor_type, actor_id from audit_log where action = 'org_api.call' and request_id = 'audit-probe-1'`);
        if (!rows.length) await new Promise((r) => setTimeout(r, 50));
      }
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actor_type: 'organization', actor_id: bankA.organizationId });
      expect(rows[0].metadata).toMatchObject({
        method: 'GET',
        path: '/api/v1/org/webhooks',
        status: 200,
        responseSha256: createHash('sha256').update(res.text).digest('hex'),
      });
      expect(rows[0].metadata.requestSha256).toMatch(/^[0-9a-f]{64}$/);
    });
  });
});

describe('Integration: per-client rate limit and daily quota', () => {
  let t: TestApp;
  afterAll(async () => t?.close());

  it('answers 429 with RateLimit-* and Retry-After beyond the per-minute limit, per client', async () => {
    t = await createTestApp({ ORG_RATE_LIMIT_PER_MINUTE: '3', ORG_QUOTA_PER_DAY: '5' });
    const a = await orgClient(t, 'بانک محدود', ['webhooks:manage']);
    const b = await orgClient(t, 'بانک دیگر', ['webhooks:manage']);
    const get = (c: OrgClient) => t.http().get('/api/v1/org/webhooks').set({ Authorization: `Bearer ${c.token}` });
    for (let i = 0; i < 3; i++) await get(a).expect(200);
    const limited = await get(a).expect(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(limited.headers['ratelimit-limit']).toBe('3');
    expect(limited.headers['ratelimit-remaining']).toBe('0');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await get(b).expect(200); // another client is not affected
    // the daily quota: move the minute windows away and spend the rest
    await t.sql(`delete from rate_limit_counter where key like 'org:rate:%'`);
    await get(a).expect(200);
    const quota = await get(a).expect(429);
    expect(quota.body.code).toBe('QUOTA_EXCEEDED');
    expect(quota.headers['ratelimit-limit']).toBe('5');
    expect(Number(quota.headers['retry-after'])).toBeGreaterThan(0);
  });
});

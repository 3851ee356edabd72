import { run, runAll } from '../../src/database/sql';
import { InquiryStatus } from '../../src/modules/inquiries/domain/inquiry-status';
import { InquiryProgressReadModel } from '../../src/modules/inquiries/inquiry-progress.read-model';
import { InquiryRepository } from '../../src/modules/inquiries/inquiry.repository';
import { IdempotencyState } from '../../src/modules/org-api/entities/idempotency-record.entity';
import { IdempotencyRepository } from '../../src/modules/org-api/idempotency.repository';
import { OrgInquiryRequestRepository } from '../../src/modules/integration/org-inquiry-request.repository';
import { WebhookDeliveryRepository } from '../../src/modules/integration/webhook-delivery.repository';
import { OrganizationReadModel } from '../../src/modules/membership/organization.read-model';
import { OrganizationRepository } from '../../src/modules/membership/organization.repository';
import { createTestDb, TestDb } from '../helpers/test-app';
import { arrangeOwners, draftRow } from './inquiry-fixtures';

const ORG = '00000000-0000-7000-8000-00000000a001';
const OTHER_ORG = '00000000-0000-7000-8000-00000000a002';
const req = (n: number) => `00000000-0000-7000-8000-0000000f00${String(n).padStart(2, '0')}`;
const inq = (n: number) => `00000000-0000-7000-8000-0000000d00${String(n).padStart(2, '0')}`;
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const days = (d: number) => new Date(NOW.getTime() + d * 86400_000);

describe('OrgInquiryRequestRepository, WebhookDeliveryRepository, InquiryProgressReadModel, IdempotencyRepository and OrganizationRepository (real database)', () => {
  let db: TestDb;
  const progress = new InquiryProgressReadModel();
  const requests = new OrgInquiryRequestRepository(progress, new OrganizationReadModel(new OrganizationRepository()));

  async function insertRequest(id: string, o: { org?: string; status?: string; inquiryId?: string | null; createdAt: Date; expiresAt?: Date; renewalCode?: string }) {
    await db.sql(
      `insert into org_inquiry_request (id, organization_id, inquiry_id, status, national_id, mobile, renewal_code, region, letter_number, letter_date, expires_at, consented_at, created_at, updated_at)
       values ($1, $2, $3, $4, '0012345679', '09120000001', $5, 1, '12/345', '1404/08/10', $6, null, $7, $7)`,
      [id, o.org ?? ORG, o.inquiryId ?? null, o.status ?? 'awaiting_consent', o.renewalCode ?? '1-1-1-1-0-0-0', o.expiresAt ?? days(7), o.createdAt],
    );
  }

  beforeAll(async () => {
    db = await createTestDb();
    await arrangeOwners(db);
    for (const [id, name, nid] of [[ORG, 'بانک آزمون', '10100000001'], [OTHER_ORG, 'دفتر آزمون', '10100000002']]) {
      await db.sql(`insert into organization (id, kind, name, legal_national_id, active, created_at, updated_at) values ($1, 'bank', $2, $3, true, now(), now())`, [id, name, nid]);
    }
    const inquiries = new InquiryRepository();
    await runAll(db.em(), [
      inquiries.insert(draftRow(inq(1), { status: InquiryStatus.Submitted, trackingCode: '200000000001', submittedAt: days(-1), reviewDueAt: days(2) })),
      inquiries.insert(draftRow(inq(2), { status: InquiryStatus.Answered, trackingCode: '200000000002', submittedAt: days(-5), reviewDueAt: days(-2) })),
      inquiries.insert(draftRow(inq(3), { status: InquiryStatus.InReview, trackingCode: '200000000003', submittedAt: days(-2), reviewDueAt: days(1) })),
    ]);
    await insertRequest(req(1), { status: 'consented', inquiryId: inq(1), createdAt: days(-3) });
    await insertRequest(req(2), { status: 'consented', inquiryId: inq(2), createdAt: days(-6) });
    await insertRequest(req(3), { createdAt: days(-1) });
    await insertRequest(req(4), { createdAt: days(-10), expiresAt: days(-3) });
    await insertRequest(req(5), { org: OTHER_ORG, status: 'consented', inquiryId: inq(3), createdAt: days(-2) });
  });
  afterAll(() => db?.close());

  it('reads inquiries’ progress, and the open ones of a property', async () => {
    const all = await run(db.em(), progress.all());
    expect(all.find((p) => p.id === inq(1))).toEqual({ id: inq(1), status: 'submitted', trackingCode: '200000000001', submittedAt: days(-1), reviewDueAt: days(2) });
    expect((await run(db.em(), progress.openOnProperty('1-1-1-1-0-0-0'))).map((p) => p.id).sort()).toEqual([inq(1), inq(3)]);
    expect(await run(db.em(), progress.openOnProperty('9-9-9-9-0-0-0'))).toEqual([]);
  });

  it('pages an organization’s requests newest first with their inquiry’s progress, filtered by consent or inquiry status and time', async () => {
    const all = await run(db.em(), requests.page(ORG, {}, 10, 0));
    expect(all.total).toBe(4);
    expect(all.items.map((r) => r.id)).toEqual([req(3), req(1), req(2), req(4)]);
    expect(all.items[1]).toEqual({
      id: req(1), inquiryId: inq(1), requestStatus: 'consented', expiresAt: days(7), renewalCode: '1-1-1-1-0-0-0', region: 1, nationalId: '0012345679',
      letterNumber: '12/345', letterDate: '1404/08/10', createdAt: days(-3), consentedAt: null,
      status: 'submitted', trackingCode: '200000000001', submittedAt: days(-1), reviewDueAt: days(2),
    });
    expect(all.items[0]).toMatchObject({ inquiryId: null, status: null, trackingCode: null, submittedAt: null });
    const page2 = await run(db.em(), requests.page(ORG, {}, 1, 1));
    expect([page2.total, page2.items.map((r) => r.id)]).toEqual([4, [req(1)]]);
    const ids = async (f: Parameters<OrgInquiryRequestRepository['page']>[1]) => (await run(db.em(), requests.page(ORG, f, 10, 0))).items.map((r) => r.id);
    expect(await ids({ requestStatus: 'expired' })).toEqual([req(4)]);
    expect(await ids({ requestStatus: 'awaiting_consent' })).toEqual([req(3)]);
    expect(await ids({ requestStatus: 'consented' })).toEqual([req(1), req(2)]);
    expect(await ids({ inquiryStatus: InquiryStatus.Answered })).toEqual([req(2)]);
    expect(await ids({ from: days(-4), to: days(-2) })).toEqual([req(1)]);
    expect(await run(db.em(), requests.page(OTHER_ORG, { inquiryStatus: InquiryStatus.Answered }, 10, 0))).toEqual({ items: [], total: 0 });
  });

  it('pages the requests naming a member (any organization), newest first, with the organization’s name and kind', async () => {
    const first = await run(db.em(), requests.forMember('09120000001', '0012345679', 2, 0));
    expect(first.total).toBe(5);
    expect(first.items.map((r) => r.id)).toEqual([req(3), req(5)]);
    expect(first.items[1]).toEqual({
      id: req(5), organizationName: 'دفتر آزمون', organizationKind: 'bank', renewalCode: '1-1-1-1-0-0-0', region: 1,
      letterNumber: '12/345', letterDate: '1404/08/10', status: 'consented', expiresAt: days(7), inquiryId: inq(3),
    });
    const rest = await run(db.em(), requests.forMember('09120000001', '0012345679', 10, 2));
    expect([rest.total, rest.items.map((r) => r.id)]).toEqual([5, [req(1), req(2), req(4)]]);
    expect(await run(db.em(), requests.forMember('09120000001', '0499370899', 10, 0))).toEqual({ items: [], total: 0 });
  });

  it('pages an organization’s webhook deliveries newest first with their attempts, filtered by status, event and endpoint', async () => {
    const endpoint = (n: number, org: string) => `00000000-0000-7000-8000-0000000e00${n}${org === ORG ? 1 : 2}`;
    for (const org of [ORG, OTHER_ORG]) {
      for (const n of [1, 2]) {
        await db.sql(`insert into webhook_endpoint (id, organization_id, url, events, secret, active) values ($1, $2, 'https://h.example/x', '["payment.settled"]', 's', true)`, [endpoint(n, org), org]);
      }
    }
    const delivery = (n: number) => `00000000-0000-7000-8000-0000000e10${n}0`;
    const rows: Array<[number, string, number, string, string]> = [
      [1, ORG, 1, 'delivered', 'payment.settled'],
      [2, ORG, 2, 'failed', 'inquiry.answered'],
      [3, ORG, 1, 'pending', 'payment.settled'],
      [4, OTHER_ORG, 1, 'delivered', 'payment.settled'],
    ];
    for (const [n, org, e, status, event] of rows) {
      await db.sql(
        `insert into webhook_delivery (id, endpoint_id, organization_id, event_id, event, body, status, attempts, created_at)
         values ($1, $2, $3, $4, $5, '{}', $6, $7, $8)`,
        [delivery(n), endpoint(e, org), org, `evt_${n}`, event, status, n === 1 ? 2 : 0, days(-10 + n)],
      );
    }
    await db.sql(
      `insert into webhook_attempt (id, delivery_id, attempt, status_code, duration_ms, error, created_at)
       values (gen_random_uuid(), $1, 2, 200, 12, null, $2), (gen_random_uuid(), $1, 1, null, 30, 'ECONNREFUSED', $3)`,
      [delivery(1), days(-8), days(-9)],
    );
    const log = new WebhookDeliveryRepository();
    const page1 = await run(db.em(), log.page(ORG, {}, 2, 0));
    expect([page1.total, page1.items.map((d) => d.id)]).toEqual([3, [delivery(3), delivery(2)]]);
    const page2 = await run(db.em(), log.page(ORG, {}, 2, 2));
    expect(page2).toEqual({
      total: 3,
      items: [{
        id: delivery(1), endpointId: endpoint(1, ORG), eventId: 'evt_1', event: 'payment.settled', status: 'delivered', attempts: 2,
        lastStatusCode: null, lastError: null, createdAt: days(-9), deliveredAt: null, redeliveryOf: null,
        attemptLog: [
          { attempt: 1, at: days(-9), statusCode: null, durationMs: 30, error: 'ECONNREFUSED' },
          { attempt: 2, at: days(-8), statusCode: 200, durationMs: 12, error: null },
        ],
      }],
    });
    const ids = async (f: Parameters<WebhookDeliveryRepository['page']>[1]) => (await run(db.em(), log.page(ORG, f, 10, 0))).items.map((d) => d.id);
    expect(await ids({ status: 'failed' })).toEqual([delivery(2)]);
    expect(await ids({ event: 'payment.settled' })).toEqual([delivery(3), delivery(1)]);
    expect(await ids({ endpointId: endpoint(2, ORG) })).toEqual([delivery(2)]);
    expect((await run(db.em(), log.page(OTHER_ORG, {}, 10, 0))).items.map((d) => d.id)).toEqual([delivery(4)]);
  });

  it('finds one of the organization’s own requests by id or tracking code, never another’s', async () => {
    expect((await run(db.em(), requests.findOwn(ORG, { id: req(2) })))?.trackingCode).toBe('200000000002');
    expect((await run(db.em(), requests.findOwn(ORG, { trackingCode: '200000000001' })))?.id).toBe(req(1));
    expect(await run(db.em(), requests.findOwn(ORG, { id: req(5) }))).toBeUndefined();
    expect(await run(db.em(), requests.findOwn(ORG, { trackingCode: '200000000003' }))).toBeUndefined();
  });

  it('tells followed inquiries and the followers of a property’s open inquiries', async () => {
    expect(await db.em().execute(requests.followedInquiry(inq(1)).sql, requests.followedInquiry(inq(1)).params)).toHaveLength(1);
    expect(await db.em().execute(requests.followedInquiry(inq(9)).sql, requests.followedInquiry(inq(9)).params)).toHaveLength(0);
    expect(await run(db.em(), requests.followersOfOpenInquiries('1-1-1-1-0-0-0'))).toEqual([
      { requestId: req(1), organizationId: ORG, trackingCode: '200000000001', status: 'submitted' },
      { requestId: req(5), organizationId: OTHER_ORG, trackingCode: '200000000003', status: 'in_review' },
    ]);
  });

  it('claims a pending consent once, links the inquiry, and undoes a consent without one', async () => {
    expect(await run(db.em(), requests.claimConsent(req(4)))).toBe(false); // expired
    expect(await run(db.em(), requests.claimConsent(req(3)))).toBe(true);
    expect(await run(db.em(), requests.claimConsent(req(3)))).toBe(false);
    const [claimed] = await db.sql<{ status: string; consented_at: Date | null }>(`select status, consented_at from org_inquiry_request where id = $1`, [req(3)]);
    expect(claimed.status).toBe('consented');
    expect(claimed.consented_at).not.toBeNull();
    await run(db.em(), requests.undoConsent(req(3)));
    expect(await db.sql(`select status, consented_at from org_inquiry_request where id = $1`, [req(3)])).toEqual([{ status: 'awaiting_consent', consented_at: null }]);
    // a linked request keeps its consent
    await run(db.em(), requests.claimConsent(req(3)));
    await run(db.em(), requests.linkInquiry(req(3), inq(2).replace(/02$/, '09')));
    await run(db.em(), requests.undoConsent(req(3)));
    expect(await db.sql(`select status, inquiry_id from org_inquiry_request where id = $1`, [req(3)])).toEqual([{ status: 'consented', inquiry_id: inq(9) }]);
  });

  it('claims an idempotency key once, stores and finds the response, releases and purges', async () => {
    const keys = new IdempotencyRepository();
    const em = db.em();
    expect(await run(em, keys.claim(`${ORG}:k1`, 'h1', 24))).toBe(true);
    expect(await run(em, keys.claim(`${ORG}:k1`, 'h2', 24))).toBe(false);
    expect(await run(em, keys.find(`${ORG}:k1`))).toEqual({ scopeKey: `${ORG}:k1`, requestHash: 'h1', state: IdempotencyState.InProgress, responseStatus: null, responseBody: null, responseHeaders: null });
    await run(em, keys.complete(`${ORG}:k1`, 201, '{"id":1}', { 'content-type': 'application/json' }));
    expect(await run(em, keys.find(`${ORG}:k1`))).toMatchObject({ state: 'completed', responseStatus: 201, responseBody: '{"id":1}', responseHeaders: { 'content-type': 'application/json' } });
    await run(em, keys.release(`${ORG}:k1`)); // a completed record stays
    expect(await run(em, keys.find(`${ORG}:k1`))).toBeDefined();
    // an in-progress claim is released; a stale one (abandoned, or expired) is dropped
    await run(em, keys.claim(`${ORG}:k2`, 'h', 24));
    await run(em, keys.release(`${ORG}:k2`));
    expect(await run(em, keys.find(`${ORG}:k2`))).toBeUndefined();
    await run(em, keys.claim(`${ORG}:k3`, 'h', 24));
    await run(em, keys.dropStale(`${ORG}:k3`, 10));
    expect(await run(em, keys.find(`${ORG}:k3`))).toBeDefined();
    await db.sql(`update idempotency_record set created_at = now() - interval '11 minutes' where scope_key = $1`, [`${ORG}:k3`]);
    await run(em, keys.dropStale(`${ORG}:k3`, 10));
    expect(await run(em, keys.find(`${ORG}:k3`))).toBeUndefined();
    await db.sql(`update idempotency_record set expires_at = now() - interval '1 second' where scope_key = $1`, [`${ORG}:k1`]);
    await run(em, keys.claim(`${ORG}:k4`, 'h', 24));
    await run(em, keys.purgeExpired());
    expect(await db.sql(`select scope_key from idempotency_record order by scope_key`)).toEqual([{ scope_key: `${ORG}:k4` }]);
  });

  it('locks an organization’s row in the caller’s transaction', async () => {
    const orgs = new OrganizationRepository();
    await db.em().transactional(async (tx) => {
      expect(await run(tx, orgs.lock(ORG))).toBe(true);
      expect(await run(tx, orgs.lock('00000000-0000-7000-8000-00000000a0ff'))).toBe(false);
    });
  });
});

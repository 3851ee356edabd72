/*
 * The comparison point of the inquiry benchmark: the least a server must do for one complete
 * submission, on a bare `node:http` + `pg` server with none of the framework (no Nest,
 * Express, validation pipes, guards, ORM or logging). It writes the same rows as the
 * application (inquiry with its records snapshot, documents, visit slot, audit entries, SMS
 * and its job) with one statement per request (two for the draft: read, then write), and
 * does the same work on the bytes: multipart parsing, the application's own `sanitizeImage`
 * (magic bytes, sharp re-encoding, SHA-256) and its `StorageService.put`, after multer
 * as the application's upload route. What it leaves out
 * is what the ceiling does not need: error classification, the knowledge-check counter, the
 * working calendar (review due a day later), the state machine, history in the answers and
 * the background delivery of the SMS.
 *
 * Started by `bench/inquiries.ts` as a child process:
 * `node -r ./scripts/register.js bench/bare-inquiries-server.ts <port>` with DATABASE_URL,
 * DB_POOL_MAX, JWT_SECRET and the S3_* settings in the environment.
 */
import jwt from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import multer from 'multer';
import { Pool } from 'pg';
import { toPgPlaceholders as toPg } from '../src/database/sql';
import type { ResolvedConfig } from '../src/config/app-config';
import { BillsRepository } from '../src/modules/billing/bills.repository';
import { GuildLicencesRepository } from '../src/modules/billing/guild-licences.repository';
import { sanitizeImage } from '../src/modules/documents/image-sanitizer';
import { StorageService } from '../src/modules/documents/storage.service';
import { PropertyBillingFacts } from '../src/modules/properties/billing-facts.read-model';
import { generateTrackingCode } from '../src/modules/inquiries/domain/tracking-code';
import { readJson, send } from './bare-http';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 10) });
const secret = process.env.JWT_SECRET!;
const storage = new StorageService({
  storage: {
    endPoint: process.env.S3_ENDPOINT!,
    port: Number(process.env.S3_PORT),
    useSSL: false,
    accessKey: process.env.S3_ACCESS_KEY!,
    secretKey: process.env.S3_SECRET_KEY!,
    region: 'us-east-1',
    bucket: process.env.S3_BUCKET ?? 'qazvin-documents',
  },
} as unknown as ResolvedConfig);

const RECORDS = `select p.id, p.region, p.renewal_code, p.district, p.block, p.parcel, p.address, p.use, p.land_area, p.building_area, p.floors, p.units,
    (select coalesce(json_agg(json_build_object('nationalId', o.national_id, 'fullName', o.full_name, 'sharePercent', o.share_percent)), '[]'::json)
       from property_owner o where o.property_id = p.id) as owners,
    (select coalesce(json_agg(json_build_object('kind', c.kind, 'requestNumber', c.request_number, 'jalaliYear', c.jalali_year, 'issueDate', c.issue_date::text)
       order by c.issue_date desc), '[]'::json) from property_certificate c where c.property_id = p.id) as certificates,
    (select national_id from citizen where id = $2) as national_id,
    (select failures from inquiry_attempt a where a.citizen_id = $2 and a.property_id = p.id and a.day = current_date) as failures
  from property p where p.renewal_code = $1`;
const DEBTS = toPg(new BillsRepository(new PropertyBillingFacts(), new GuildLicencesRepository()).debtLookup('file', '').sql);
const audit = (n: number, action: string) =>
  `insert into audit_log (id, at, actor_type, actor_id, action, target_type, target_id, metadata)
   select gen_random_uuid(), now(), 'citizen', $${n}::text, '${action}', 'inquiry', id::text, jsonb_build_object('status', status)`;

const multipart = multer({ storage: multer.memoryStorage(), limits: { files: 1, fileSize: 5 * 1024 * 1024 } }).single('file');

/** The uploaded file's bytes, parsed by multer as the application parses them. */
function readFile(req: IncomingMessage, res: ServerResponse): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    multipart(req as never, res as never, (err: unknown) => {
      const file = (req as IncomingMessage & { file?: { buffer: Buffer } }).file;
      if (err || !file) reject(err ?? new Error('no file'));
      else resolve(file.buffer);
    }),
  );
}

const ROUTE = /^\/api\/v1\/inquiries(?:\/([0-9a-f-]{36})\/(confirm|visit|submit|documents\/(\w+)))?$/;

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const claims = jwt.verify((req.headers.authorization ?? '').replace(/^Bearer /, ''), secret, {
    algorithms: ['HS256'],
    issuer: 'qazvin-citizen-services',
  }) as { sub: string; typ: string };
  if (claims.typ !== 'citizen') return send(res, 403, {});
  const citizen = claims.sub;
  const m = ROUTE.exec(req.url ?? '');
  if (!m) return send(res, 404, {});
  const [, id, action, kind] = m;
  if (!id && req.method === 'POST') {
    const b = await readJson(req);
    const [records, debts] = await Promise.all([
      pool.query(RECORDS, [b.renewalCode, citizen]),
      pool.query(DEBTS, [b.renewalCode, `file:${b.renewalCode}`]),
    ]);
    const r = records.rows[0];
    if (!r || r.region !== b.region) return send(res, 404, {});
    const certificates = r.certificates as Array<{ requestNumber: string }>;
    const owners = r.owners as Array<{ nationalId: string }>;
    if (!owners.some((o) => o.nationalId === r.national_id) || certificates[0]?.requestNumber !== b.lastRequestNumber) return send(res, 422, {});
    const snapshot = {
      property: { renewalCode: r.renewal_code, region: r.region, district: r.district, block: r.block, parcel: r.parcel, address: r.address, use: r.use },
      owners: owners.map((o) => ({ ...o, nationalId: `${o.nationalId.slice(0, 3)}****${o.nationalId.slice(7)}` })),
      certificates,
      debts: { settled: (debts.rows[0]?.demands ?? []).length === 0 },
    };
    const { rows } = await pool.query(
      `with i as (insert into inquiry (id, type, status, citizen_id, property_id, renewal_code, region, applicant_role, undertakings_version,
                                       undertakings_accepted_at, notary_office_number, snapshot, status_changed_at)
                  values ($1, $2, 'draft', $3, $4, $5, $6, 'owner', $7, now(), $8, $9, now()) returning id, status, created_at),
            a as (${audit(3, 'inquiry.status_changed')} from i)
       select id, status, created_at from i`,
      [randomUUID(), b.type, citizen, r.id, r.renewal_code, r.region, b.undertakingsVersion, b.notaryOfficeNumber, JSON.stringify(snapshot)],
    );
    return send(res, 201, { ...rows[0], records: snapshot });
  }
  if (action === 'confirm') {
    const { rows } = await pool.query(
      `with u as (update inquiry set confirmed_at = now(), updated_at = now() where id = $1 and citizen_id = $2 and status = 'draft' returning *),
            a as (${audit(2, 'inquiry.confirmed')} from u)
       select id, status, confirmed_at, snapshot from u`,
      [id, citizen],
    );
    return rows.length ? send(res, 200, rows[0]) : send(res, 404, {});
  }
  if (kind) {
    const image = await sanitizeImage(await readFile(req, res), { maxBytes: 307200, maxSidePx: 2000 });
    const key = storage.newKey('documents');
    await storage.put(key, image.bytes, image.contentType, image.sha256);
    const { rows } = await pool.query(
      `with i as (select id, status from inquiry where id = $1 and citizen_id = $2 and confirmed_at is not null and status = 'draft' for update),
            d as (insert into inquiry_document (id, inquiry_id, kind, object_key, size, content_type, sha256, original_sha256, width, height)
                  select gen_random_uuid(), id, $3, $4, $5, 'image/jpeg', $6, $7, $8, $9 from i
                  on conflict (inquiry_id, kind) do update set object_key = excluded.object_key, size = excluded.size, sha256 = excluded.sha256,
                    original_sha256 = excluded.original_sha256, updated_at = now()
                  returning kind, size, sha256, width, height, updated_at),
            a as (${audit(2, 'inquiry.document.uploaded')} from i)
       select * from d`,
      [id, citizen, kind, key, image.bytes.length, image.sha256, image.originalSha256, image.width, image.height],
    );
    return rows.length ? send(res, 200, rows[0]) : send(res, 404, {});
  }
  if (action === 'visit') {
    const b = await readJson(req);
    const { rows } = await pool.query(
      `with i as (select id, status, region from inquiry where id = $1 and citizen_id = $2 and type = 'notary' and status = 'draft' for update),
            s as (insert into visit_slot (id, region, starts_at, ends_at, capacity, booked)
                  select $3, region, now() + interval '3 days', now() + interval '3 days 1 hour', 10000, 1 from i
                  on conflict (id) do update set booked = visit_slot.booked + 1 where visit_slot.booked < visit_slot.capacity
                  returning id, starts_at),
            u as (update inquiry set visit_slot_id = s.id, visit_starts_at = s.starts_at, updated_at = now() from s where inquiry.id = $1
                  returning inquiry.id, inquiry.status, s.id as slot_id, s.starts_at),
            a as (${audit(2, 'inquiry.visit_booked')} from u)
       select * from u`,
      [id, citizen, b.slotId],
    );
    return rows.length ? send(res, 200, rows[0]) : send(res, 409, {});
  }
  if (action === 'submit') {
    const trackingCode = generateTrackingCode();
    const { rows } = await pool.query(
      `with u as (update inquiry set status = 'submitted', tracking_code = $3, submitted_at = now(), review_due_at = now() + interval '1 day',
                    status_changed_at = now(), updated_at = now()
                  where id = $1 and citizen_id = $2 and status = 'draft' and confirmed_at is not null and visit_slot_id is not null
                    and (select count(*) from inquiry_document d where d.inquiry_id = $1) >= 2
                  returning id, status, review_due_at),
            a as (${audit(2, 'inquiry.status_changed')} from u),
            s as (insert into sms_message (id, mobile, template, body, provider, status, attempts)
                  select gen_random_uuid(), c.mobile, 'inquiry_submitted', 'کد پیگیری ' || $3, 'sandbox', 'queued', 0 from u, citizen c where c.id = $2
                  returning id),
            j as (insert into job (id, queue, payload, status, attempts, max_attempts, backoff_seconds, run_at, created_at)
                  select gen_random_uuid(), 'bare.sms', jsonb_build_object('smsId', s.id), 'pending', 0, 8, 10, now(), now() from s)
       select id, status, review_due_at from u`,
      [id, citizen, trackingCode],
    );
    return rows.length ? send(res, 200, { trackingCode, status: rows[0].status, reviewDueAt: rows[0].review_due_at }) : send(res, 422, {});
  }
  send(res, 404, {});
}

const server = createServer((req, res) => {
  handle(req, res).catch((err: Error) => send(res, 500, { error: err.message }));
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.argv[2] ?? 3991), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGINT', () => server.close(() => void pool.end().then(() => process.exit(0))));

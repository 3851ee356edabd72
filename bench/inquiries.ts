/*
 * Benchmark: complete inquiry submissions on real PostgreSQL + s3rver. One submission =
 * create a notary inquiry (knowledge check, ownership, eligibility, debt summary) → confirm →
 * upload two ~300 KB JPEG pages (magic bytes, sharp re-encoding, SHA-256, S3 put, DB row) →
 * book a site visit → submit (tracking code, review due from the calendar, SMS queued).
 * Target (issue 6): ≥ 40 complete submissions/s on this 2-core machine. s3rver runs in its own
 * process (standing in for MinIO), PostgreSQL is the local server.
 *
 *   npm run bench:inquiries -- [--seconds 20] [--concurrency 16] [--members 64] [--no-bare]
 *
 * Then, in the same run, the same flow against `bench/bare-inquiries-server.ts`: a bare
 * node:http + pg server writing the same rows with one statement per request and doing the
 * same work on the bytes (the application's sanitizeImage and StorageService), which shows
 * this machine's ceiling for these requests. Both runs print where the machine's CPU went
 * per submission (server main thread, its other threads — libvips —, PostgreSQL, s3rver,
 * this load generator, the rest).
 *
 * The notary type is used because its required documents are exactly two (deed and national
 * card); it adds the visit booking to the issue's list (more work, not less). Visit capacity is
 * raised for the run so slots do not run out. Members are created in SQL and sign in through
 * the ordinary OTP flow; each owns one eligible property.
 */
import { Client } from 'pg';
import { generateNationalId } from '@app/iran';
import { benchDocument } from './inquiries-images';
import { closedLoop, cpuMeter, freshDatabase, httpJson, httpRequest, outboxCode, parseArgs, startBareServer, startBenchS3, startServer, summarize } from './lib';

const args = parseArgs();
const seconds = Number(args.seconds ?? 20);
const concurrency = Number(args.concurrency ?? 16);
const memberCount = Number(args.members ?? 64);
const JWT_SECRET = 'bench-secret-'.padEnd(48, 'x');
const POOL = '20';

/**
 * A multipart/form-data body of one file (field `file`), built once per document before the
 * load: the generator shares the machine's two cores with the server, so during the run it
 * only sends.
 */
function multipartBody(bytes: Buffer, filename: string): { body: Buffer; contentType: string } {
  const boundary = `----bench-${filename.replace(/\W/g, '')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: image/jpeg\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { body: Buffer.concat([head, bytes, tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}

interface Member {
  mobile: string;
  token: string;
  renewalCode: string;
  region: number;
  lastRequestNumber: string;
}

type Phase = 'create' | 'confirm' | 'upload' | 'visit' | 'submit' | 'flow';

/** The closed loop of complete submissions against `base`; latencies per request and the tracking codes. */
async function measure(base: string, members: Member[], uploads: Array<{ kind: string; body: Buffer; contentType: string }>, slots: Record<number, string[]>, serverPid: number, s3Pid: number) {
  const lat: Record<Phase, number[]> = { create: [], confirm: [], upload: [], visit: [], submit: [], flow: [] };
  const timed = async <T>(phase: Phase, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const out = await fn();
    lat[phase].push(performance.now() - t0);
    return out;
  };
  const codes: string[] = [];
  const flow = async (i: number) => {
    const t0 = performance.now();
    const m = members[i % members.length];
    const auth = { authorization: `Bearer ${m.token}` };
    const created = await timed('create', () =>
      httpJson(
        base,
        'POST',
        '/api/v1/inquiries',
        {
          type: 'notary',
          renewalCode: m.renewalCode,
          region: m.region,
          lastRequestNumber: m.lastRequestNumber,
          undertakingsVersion: 'notary-1404-01',
          undertakingsAccepted: true,
          notaryOfficeNumber: '125',
        },
        auth,
      ),
    );
    if (created.status !== 201) throw new Error(`create ${created.status} ${JSON.stringify(created.body)}`);
    const id = (created.body as { id: string }).id;
    const confirmed = await timed('confirm', () => httpJson(base, 'POST', `/api/v1/inquiries/${id}/confirm`, undefined, auth));
    if (confirmed.status !== 200) throw new Error(`confirm ${confirmed.status}`);
    for (const doc of uploads) {
      const up = await timed('upload', () =>
        httpRequest(base, 'PUT', `/api/v1/inquiries/${id}/documents/${doc.kind}`, doc.body, { ...auth, 'content-type': doc.contentType }),
      );
      if (up.status !== 200) throw new Error(`upload ${up.status} ${up.text}`);
    }
    const regionSlots = slots[m.region];
    const visit = await timed('visit', () => httpJson(base, 'POST', `/api/v1/inquiries/${id}/visit`, { slotId: regionSlots[i % regionSlots.length] }, auth));
    if (visit.status !== 200) throw new Error(`visit ${visit.status} ${JSON.stringify(visit.body)}`);
    const submitted = await timed('submit', () => httpJson(base, 'POST', `/api/v1/inquiries/${id}/submit`, undefined, auth));
    if (submitted.status !== 200) throw new Error(`submit ${submitted.status} ${JSON.stringify(submitted.body)}`);
    codes.push((submitted.body as { trackingCode: string }).trackingCode);
    lat.flow.push(performance.now() - t0);
  };

  await closedLoop(4, 3, (i) => flow(100_000 + i)); // warm-up
  for (const k of Object.keys(lat) as Phase[]) lat[k].length = 0;
  const meter = cpuMeter(serverPid, { s3rver: s3Pid });
  const run = await closedLoop(concurrency, seconds, flow);
  const cpu = meter.stop(run.done);
  return { ...run, lat, codes, cpu };
}

function print(title: string, r: Awaited<ReturnType<typeof measure>>): void {
  const rate = r.done / r.elapsed;
  console.log(`\n${title}: ${concurrency} concurrent members, ${r.elapsed.toFixed(1)} s`);
  console.log(summarize('POST /inquiries', r.lat.create));
  console.log(summarize('POST …/confirm', r.lat.confirm));
  console.log(summarize('PUT …/documents/{kind}', r.lat.upload));
  console.log(summarize('POST …/visit', r.lat.visit));
  console.log(summarize('POST …/submit', r.lat.submit));
  console.log(summarize('complete submission', r.lat.flow));
  console.log(`CPU per complete submission (${r.cpu.coresBusy.toFixed(2)} of 2 cores busy):`);
  for (const [part, ms] of Object.entries(r.cpu.perUnit)) console.log(`  ${part.padEnd(32)} ${ms.toFixed(1).padStart(6)} ms`);
  console.log(`complete submissions: ${r.done} in ${r.elapsed.toFixed(1)} s = ${rate.toFixed(1)} /s (errors: ${r.errors}); target ≥ 40 /s: ${rate >= 40 ? 'MET' : 'NOT MET'}`);
}

async function main(): Promise<void> {
  const url = await freshDatabase('qazvin_bench_inquiries');
  // object storage in its own process, as MinIO would be on its own machine
  const s3 = await startBenchS3();
  const server = await startServer(
    {
      ...s3.env,
      DATABASE_URL: url,
      SANDBOX_MODE: 'true',
      TRUST_PROXY: '1',
      JWT_SECRET,
      DB_POOL_MAX: POOL,
      WEB_CONCURRENCY: String(args.workers ?? 1),
      INQUIRY_VISIT_CAPACITY: '10000',
      TRACKING_RATE_LIMIT_PER_MINUTE: '100000',
      DEMO_SEED: 'false',
    },
    Number(args.port ?? 3906),
  );
  // --tiny-documents: 64×48 pages instead of 300 KB ones, to see what the images cost (builds with
  // the legibility floor, issue 20, refuse them: DOCUMENT_TOO_SMALL)
  const docs = args['tiny-documents']
    ? await Promise.all([1, 2].map((seed) => benchDocument(seed, 300 * 1024, { width: 64, height: 48 })))
    : [await benchDocument(1), await benchDocument(2)];
  console.log(`documents: ${docs.map((d) => `${(d.length / 1024).toFixed(0)} KB`).join(', ')} JPEG`);
  const uploads = (['deed', 'national_card'] as const).map((kind, k) => ({ kind, ...multipartBody(docs[k], `${kind}.jpg`) }));

  // members, their properties and certificates, straight into the fresh database
  const db = new Client({ connectionString: url });
  await db.connect();
  const members: Member[] = [];
  for (let i = 0; i < memberCount; i++) {
    const region = (i % 3) + 1;
    const nid = generateNationalId(777_000 + i);
    const mobile = `0913${String(2000000 + i).padStart(7, '0')}`;
    const renewalCode = `${region}-9-${100 + Math.floor(i / 100)}-${(i % 100) + 1}-0-0-0`;
    const lastRequestNumber = `BENCH-${1400 + (i % 5)}-${String(i).padStart(6, '0')}`;
    await db.query(
      `insert into citizen (id, mobile, national_id, first_name, last_name, father_name, birth_date_jalali, birth_date, active, created_at, updated_at)
       values (gen_random_uuid(), $1, $2, 'کاربر', 'آزمون', 'پدر', '1370/01/01', '1991-03-21', true, now(), now())`,
      [mobile, nid],
    );
    const { rows } = await db.query<{ id: string }>(
      `insert into property (id, renewal_code, region, district, block, parcel, building, apartment, shop, address, land_area, building_area,
                             use, floors, units, structure_type, created_at, updated_at)
       values (gen_random_uuid(), $1, $2, 9, $3, $4, 0, 0, 0, 'قزوین، خیابان آزمون', 250, 400, 'residential', 2, 2, 'concrete', now(), now())
       returning id`,
      [renewalCode, region, 100 + Math.floor(i / 100), (i % 100) + 1],
    );
    await db.query(
      `insert into property_owner (id, property_id, national_id, full_name, share_percent, created_at, updated_at)
       values (gen_random_uuid(), $1, $2, 'کاربر آزمون', 100, now(), now())`,
      [rows[0].id, nid],
    );
    await db.query(
      `insert into property_certificate (id, property_id, kind, request_number, jalali_year, issue_date, created_at, updated_at)
       values (gen_random_uuid(), $1, 'transfer', $2, 1400, '2021-06-01', now(), now())`,
      [rows[0].id, lastRequestNumber],
    );
    members.push({ mobile, token: '', renewalCode, region, lastRequestNumber });
  }
  // builds with identity verification (issue 17) let only verified members act on their properties
  const { rows: verifiable } = await db.query(`select 1 from information_schema.columns where table_name = 'citizen' and column_name = 'identity_verified_at'`);
  if (verifiable.length) await db.query(`update citizen set identity_verified_at = now(), identity_verified_by = 'registry'`);
  await db.end();

  // sign in through the OTP flow (sandbox outbox)
  for (const [i, m] of members.entries()) {
    const ip = { 'x-forwarded-for': `10.9.${i >> 8}.${i & 255}` };
    const r1 = await httpJson(server.base, 'POST', '/api/v1/auth/otp', { mobile: m.mobile }, ip);
    if (r1.status !== 202) throw new Error(`otp ${r1.status} ${JSON.stringify(r1.body)}`);
    const code = outboxCode((await httpJson(server.base, 'GET', `/api/v1/sandbox/sms-outbox?mobile=${m.mobile}`, undefined, ip)).body);
    if (!code) throw new Error(`no OTP code in the outbox for ${m.mobile}`);
    const r3 = await httpJson(server.base, 'POST', '/api/v1/auth/otp/verify', { mobile: m.mobile, code }, ip);
    m.token = (r3.body as { accessToken: string }).accessToken;
    if (!m.token) throw new Error(`login ${r3.status} ${JSON.stringify(r3.body)}`);
  }
  const slots: Record<number, string[]> = {};
  for (const region of [1, 2, 3]) {
    const r = await httpJson(server.base, 'GET', `/api/v1/inquiries/visit-slots?region=${region}`, undefined, { authorization: `Bearer ${members[0].token}` });
    slots[region] = (r.body as Array<{ slotId: string }>).map((s) => s.slotId);
    if (!slots[region].length) throw new Error(`no visit slots in region ${region}`);
  }

  const app = await measure(server.base, members, uploads, slots, server.proc.pid!, s3.pid);

  // every tracking code resolves publicly
  for (const code of app.codes.slice(-20)) {
    const r = await httpJson(server.base, 'GET', `/api/v1/tracking/${code}`);
    if (r.status !== 200) throw new Error(`tracking ${code}: ${r.status}`);
  }
  const check = new Client({ connectionString: url });
  await check.connect();
  const { rows } = await check.query<{ n: number; docs: number; max_size: number }>(
    `select (select count(*) from inquiry where status = 'submitted')::int as n,
            (select count(*) from inquiry_document)::int as docs, (select max(size) from inquiry_document)::int as max_size`,
  );
  await check.end();
  await server.stop();

  print('Inquiry submissions — the application, real PostgreSQL + s3rver', app);
  console.log(`stored: ${rows[0].n} submitted inquiries, ${rows[0].docs} documents, largest ${(rows[0].max_size / 1024).toFixed(0)} KB`);

  if (!args['no-bare']) {
    const bare = await startBareServer(url, Number(args['bare-port'] ?? 3907), Number(POOL), {
      script: 'bench/bare-inquiries-server.ts',
      env: { ...s3.env, JWT_SECRET },
    });
    const ceiling = await measure(bare.base, members, uploads, slots, bare.pid, s3.pid);
    await bare.stop();
    print('Same flow, bare node:http + pg server (bench/bare-inquiries-server.ts): the ceiling', ceiling);
    console.log(`application / bare: ${(app.done / app.elapsed / (ceiling.done / ceiling.elapsed)).toFixed(2)} of the ceiling's throughput`);
  }
  await s3.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

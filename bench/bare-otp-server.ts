/*
 * The comparison point of the OTP benchmark: the least a server must do for one complete
 * citizen OTP flow, on a bare `node:http` + `pg` server with none of the framework (no Nest,
 * Express, validation pipes, guards, ORM or logging). One statement per request, writing and
 * reading the same tables as the application:
 *
 *   POST /api/v1/auth/otp            the per-IP counter, the per-mobile cooldown and hourly
 *                                    limit, the challenge (HMAC of the code), its SMS and the
 *                                    SMS's delivery job → 202
 *   GET  /api/v1/sandbox/sms-outbox  the mobile's messages of the last hour, newest first → 200
 *   POST /api/v1/auth/otp/verify     the per-IP counter, one attempt on the newest open
 *                                    challenge, the citizen by mobile → 200 with a signed
 *                                    registration token (the bench's mobiles are all new)
 *
 * What it leaves out is what the ceiling does not need: error classification and messages,
 * the outbox's own rate limit and total, Persian digits in the text, and the background
 * delivery of the SMS (its job stays queued).
 *
 * Started by `bench/otp-flow.ts` as a child process:
 * `node -r ./scripts/register.js bench/bare-otp-server.ts <port>` with DATABASE_URL,
 * DB_POOL_MAX and JWT_SECRET in the environment.
 */
import jwt from 'jsonwebtoken';
import { createHmac, randomInt, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { Pool } from 'pg';
import { readJson, send } from './bare-http';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 10) });
const secret = process.env.JWT_SECRET!;
const key = createHmac('sha256', secret).update('otp-code-hash').digest();
const hash = (code: string) => createHmac('sha256', key).update(`citizen_login:${code}`).digest('hex');

// the application's defaults: 60 s cooldown, 5 codes per mobile and 20 per IP an hour,
// 120 s validity, 5 attempts, 120 verifications per IP an hour
const COUNT = (n: number) => `ip as (
    insert into rate_limit_counter (key, window_start, count, expires_at)
    values ($${n}, date_trunc('hour', now()), 1, date_trunc('hour', now()) + interval '2 hours')
    on conflict (key, window_start) do update set count = rate_limit_counter.count + 1
    returning count)`;

const ISSUE = `with ${COUNT(1)},
  recent as (select max(created_at) as last, count(*) as n from otp_challenge
              where mobile = $2 and purpose = 'citizen_login' and created_at > now() - interval '1 hour'),
  ok as (select 1 from recent, ip where (recent.last is null or recent.last < now() - interval '60 seconds') and recent.n < 5 and ip.count <= 20),
  ch as (insert into otp_challenge (id, created_at, updated_at, mobile, purpose, code_hash, expires_at, attempts, max_attempts)
         select $3, now(), now(), $2, 'citizen_login', $4, now() + interval '120 seconds', 0, 5 from ok returning id),
  sms as (insert into sms_message (id, created_at, updated_at, mobile, template, body, provider, status, attempts)
          select $5, now(), now(), $2, 'otp_login', $6, 'sandbox', 'queued', 0 from ch returning id),
  queued as (insert into job (id, queue, payload, status, attempts, max_attempts, backoff_seconds, run_at, created_at)
             select $7, 'sms.send', jsonb_build_object('smsId', sms.id), 'pending', 0, 5, 30, now(), now() from sms returning id)
  select (select count(*) from queued)::int as accepted`;

const OUTBOX = `select id, mobile, template, body, status, created_at from sms_message
  where mobile = $1 and created_at >= now() - interval '1 hour' order by created_at desc, id desc limit 20`;

const VERIFY = `with ${COUNT(1)},
  open as (select id from otp_challenge where mobile = $2 and purpose = 'citizen_login' and consumed_at is null
             and expires_at > now() and attempts < max_attempts and (select count from ip) <= 120
           order by created_at desc limit 1 for update),
  tried as (update otp_challenge c set attempts = c.attempts + 1, updated_at = now(),
                   consumed_at = case when c.code_hash = $3 then now() end
              from open where c.id = open.id returning c.consumed_at)
  select (select consumed_at is not null from tried) as ok,
         (select id from citizen where mobile = $2) as citizen_id`;

const clientIp = (req: IncomingMessage) => String(req.headers['x-forwarded-for'] ?? req.socket.remoteAddress ?? '').split(',')[0].trim();
const isMobile = (m: unknown): m is string => typeof m === 'string' && /^09\d{9}$/.test(m);

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://bare');
  if (req.method === 'POST' && url.pathname === '/api/v1/auth/otp') {
    const { mobile } = await readJson(req);
    if (!isMobile(mobile)) return send(res, 400, { code: 'MOBILE_INVALID' });
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const challengeId = randomUUID();
    const { rows } = await pool.query(ISSUE, [
      `otp:ip:${clientIp(req)}`, mobile, challengeId, hash(code), randomUUID(), `کد ورود شما به سامانه شهروندسپاری قزوین: ${code}`, randomUUID(),
    ]);
    if (!rows[0].accepted) return send(res, 429, { code: 'OTP_TOO_MANY_REQUESTS' });
    return send(res, 202, { challengeId, expiresInSeconds: 120, resendAfterSeconds: 60 });
  }
  if (req.method === 'GET' && url.pathname === '/api/v1/sandbox/sms-outbox') {
    const mobile = url.searchParams.get('mobile');
    if (!isMobile(mobile)) return send(res, 400, { code: 'MOBILE_INVALID' });
    const { rows } = await pool.query(OUTBOX, [mobile]);
    const items = rows.map((r) => ({ id: r.id, mobile: r.mobile, template: r.template, body: r.body, status: r.status, createdAt: r.created_at, code: /(\d{6})/.exec(r.body)?.[1] ?? null }));
    return send(res, 200, { items, meta: { page: 1, pageSize: 20, total: items.length } });
  }
  if (req.method === 'POST' && url.pathname === '/api/v1/auth/otp/verify') {
    const { mobile, code } = await readJson(req);
    if (!isMobile(mobile) || typeof code !== 'string' || !/^\d{6}$/.test(code)) return send(res, 400, { code: 'VALIDATION_FAILED' });
    const { rows } = await pool.query(VERIFY, [`otp-verify:ip:${clientIp(req)}`, mobile, hash(code)]);
    if (!rows[0].ok) return send(res, 400, { code: 'OTP_INVALID' });
    if (rows[0].citizen_id) return send(res, 200, { status: 'authenticated' });
    const registrationToken = jwt.sign({ typ: 'registration', mobile }, secret, { algorithm: 'HS256', expiresIn: 900 });
    return send(res, 200, { status: 'registration_required', registrationToken });
  }
  send(res, 404, { code: 'ROUTE_NOT_FOUND' });
}

const server = createServer((req, res) => {
  handle(req, res).catch((err: Error) => send(res, 500, { code: 'INTERNAL', detail: err.message }));
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.argv[2] ?? 3911), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGINT', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});

/**
 * Local stand-ins for the SMS providers' HTTP APIs (Kavenegar REST v1 and SMS.ir REST v1),
 * answering the way the real services do: success envelopes, every documented error status,
 * raw HTTP failures (5xx pages) and a request that never gets an answer (timeouts). Every
 * request is recorded with its path, headers and parsed body.
 */
import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Parsed `application/x-www-form-urlencoded` body (Kavenegar). */
  form?: Record<string, string>;
  /** Parsed JSON body (SMS.ir). */
  json?: unknown;
}

export type FakeBehaviour =
  /** Accept the message. */
  | { kind: 'ok' }
  /** Refuse with one of the provider's documented statuses, in its own JSON envelope. */
  | { kind: 'status'; status: number; message?: string }
  /** Answer exactly this (e.g. a 502 page of a proxy, or an unusual JSON body). */
  | { kind: 'raw'; httpStatus: number; body: string; contentType?: string }
  /** Read the request and never answer. */
  | { kind: 'hang' };

export interface FakeSmsServer {
  /** Base URL, e.g. `http://127.0.0.1:41234` (what KAVENEGAR_BASE_URL / SMSIR_BASE_URL take). */
  url: string;
  requests: RecordedRequest[];
  /** How the following requests are answered (default `ok`). */
  respondWith(behaviour: FakeBehaviour): void;
  /** Back to `ok`, requests forgotten. */
  reset(): void;
  close(): Promise<void>;
}

type Reply = { httpStatus: number; body: string; contentType: string } | 'hang';
type Handler = (req: RecordedRequest, behaviour: FakeBehaviour) => Reply;

const json = (httpStatus: number, body: unknown): Reply => ({
  httpStatus,
  body: JSON.stringify(body),
  contentType: 'application/json; charset=utf-8',
});

async function startFake(handler: Handler): Promise<FakeSmsServer> {
  let behaviour: FakeBehaviour = { kind: 'ok' };
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const type = req.headers['content-type'] ?? '';
      const recorded: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      if (type.startsWith('application/x-www-form-urlencoded')) recorded.form = Object.fromEntries(new URLSearchParams(body));
      if (type.startsWith('application/json')) {
        try {
          recorded.json = JSON.parse(body);
        } catch {
          recorded.json = undefined;
        }
      }
      requests.push(recorded);
      const reply = behaviour.kind === 'hang' ? 'hang' : behaviour.kind === 'raw' ? rawReply(behaviour) : handler(recorded, behaviour);
      if (reply === 'hang') return;
      res.writeHead(reply.httpStatus, { 'Content-Type': reply.contentType });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respondWith(next) {
      behaviour = next;
    },
    reset() {
      behaviour = { kind: 'ok' };
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function rawReply(b: Extract<FakeBehaviour, { kind: 'raw' }>): Reply {
  return { httpStatus: b.httpStatus, body: b.body, contentType: b.contentType ?? 'text/html; charset=utf-8' };
}

/** Kavenegar's Persian texts of its documented statuses (a representative subset). */
const KAVENEGAR_TEXTS: Record<number, string> = {
  400: 'پارامترها ناقص هستند',
  401: 'حساب کاربری غیرفعال شده است',
  403: 'کد شناسائی API-Key معتبر نمی‌باشد',
  404: 'متدی با این نام پیدا نشده است',
  411: 'دریافت کننده نامعتبر است',
  418: 'اعتبار حساب شما کافی نیست',
  422: 'داده ها به دلیل وجود کاراکتر نامناسب قابل پردازش نیست',
  424: 'الگوی مورد نظر پیدا نشد',
  426: 'استفاده از این متد نیازمند سرویس پیشرفته می‌باشد',
  428: 'ارسال کد از طریق تماس تلفنی امکان پذیر نیست',
  431: 'ساختار کد صحیح نمی‌باشد',
  432: 'پارامتر کد در متن پیام پیدا نشد',
};

/**
 * Kavenegar REST v1: `POST /v1/{API-KEY}/verify/lookup.json` and `/v1/{API-KEY}/sms/send.json`
 * (form fields), answering `{ return: { status, message }, entries }` with the HTTP status
 * equal to `return.status`. A wrong key answers 403 like the real service.
 */
export function startFakeKavenegar(options: { apiKey: string }): Promise<FakeSmsServer> {
  let nextId = 8792343;
  return startFake((req, behaviour) => {
    const refuse = (status: number, message?: string) =>
      json(status, { return: { status, message: message ?? KAVENEGAR_TEXTS[status] ?? 'خطا' }, entries: null });
    const m = /^\/v1\/([^/]+)\/(verify\/lookup|sms\/send)\.json$/.exec(req.path);
    if (!m) return refuse(404);
    if (req.method !== 'POST') return refuse(405, 'متد Get/Post اشتباه است');
    if (decodeURIComponent(m[1]) !== options.apiKey) return refuse(403);
    if (behaviour.kind === 'status') return refuse(behaviour.status, behaviour.message);
    const form = req.form ?? {};
    if (!form.receptor || (m[2] === 'verify/lookup' ? !form.token || !form.template : !form.message)) return refuse(400);
    return json(200, {
      return: { status: 200, message: 'تایید شد' },
      entries: [
        {
          messageid: nextId++,
          message: m[2] === 'verify/lookup' ? `کد: ${form.token}` : form.message,
          status: 5,
          statustext: 'ارسال به مخابرات',
          sender: form.sender ?? '10004346',
          receptor: form.receptor,
          date: Math.floor(Date.now() / 1000),
          cost: 1200,
        },
      ],
    });
  });
}

/** SMS.ir's Persian texts of its documented statuses (a representative subset). */
const SMSIR_TEXTS: Record<number, string> = {
  0: 'مشکلی در سامانه رخ داده است',
  10: 'کلید وب سرویس نامعتبر است',
  13: 'حساب کاربری غیرفعال است',
  20: 'تعداد درخواست بیشتر از حد مجاز است',
  101: 'شماره خط نامعتبر میباشد',
  102: 'اعتبار کافی نمیباشد',
  104: 'شماره موبایل نامعتبر است',
  113: 'قالب یافت نشد',
  114: 'طول رشته مقدار پارامتر، بیش از حد مجاز است',
  115: 'شماره موبایل در لیست سیاه است',
};

/** HTTP status SMS.ir answers with a given application status. */
function smsIrHttpStatus(status: number): number {
  if (status >= 10 && status <= 14) return 401;
  if (status === 20) return 429;
  if (status === 0) return 500;
  return 400;
}

/**
 * SMS.ir REST v1: `POST /v1/send/verify` and `/v1/send/bulk` (JSON, `x-api-key` header),
 * answering `{ status, message, data }` with `status: 1` on success.
 */
export function startFakeSmsIr(options: { apiKey: string }): Promise<FakeSmsServer> {
  let nextId = 89545112;
  return startFake((req, behaviour) => {
    const refuse = (status: number, message?: string) =>
      json(smsIrHttpStatus(status), { status, message: message ?? SMSIR_TEXTS[status] ?? 'خطا', data: null });
    if (req.method !== 'POST' || (req.path !== '/v1/send/verify' && req.path !== '/v1/send/bulk')) {
      return { httpStatus: 404, body: '', contentType: 'text/plain' };
    }
    if (req.headers['x-api-key'] !== options.apiKey) return refuse(10);
    if (behaviour.kind === 'status') return refuse(behaviour.status, behaviour.message);
    const body = (req.json ?? {}) as Record<string, unknown>;
    if (req.path === '/v1/send/verify') {
      if (!body.mobile || !body.templateId || !Array.isArray(body.parameters)) return refuse(116);
      return json(200, { status: 1, message: 'موفق', data: { messageId: nextId++, cost: 1.0 } });
    }
    if (!body.lineNumber || !body.messageText || !Array.isArray(body.mobiles) || body.mobiles.length === 0) return refuse(107);
    return json(200, {
      status: 1,
      message: 'موفق',
      data: { packId: '2b99e63c-9bf8-4a21-9bfe-3f72dc1b46f1', messageIds: body.mobiles.map(() => nextId++), cost: 1.0 },
    });
  });
}

/**
 * Local stand-ins for the internet payment gateways' HTTP APIs (Saman SEP token IPG and
 * Zarinpal REST v4), answering the way their documents describe: token / authority
 * requests, the payer's result (`pay`, `cancel`, `fail` give the callback parameters the
 * gateway would send the browser back with), verify (first time, then "already verified"),
 * reverse, and every failure a test may need: documented error codes, raw HTTP answers
 * (a proxy's 502 page, a body that is not JSON) and requests that never get an answer.
 * Every request is recorded with its path, headers and parsed JSON body.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface RecordedGatewayRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Parsed JSON body; undefined when the body is not JSON. */
  json?: Record<string, unknown>;
}

export type GatewayFakeBehaviour =
  /** Answer from the fake's own state, as the real gateway would. */
  | { kind: 'normal' }
  /**
   * Answer with one of the gateway's documented codes in its own envelope: SEP token
   * `errorCode` / verify and reverse `ResultCode`; Zarinpal `errors.code`.
   */
  | { kind: 'code'; code: number; message?: string }
  /** Answer exactly this (a 502 page of a proxy, a body that is not JSON, an odd envelope). */
  | { kind: 'raw'; httpStatus: number; body: string; contentType?: string }
  /** Read the request and never answer (timeouts). */
  | { kind: 'hang' };

interface Reply {
  httpStatus: number;
  body: string;
  contentType: string;
}

const json = (httpStatus: number, body: unknown): Reply => ({
  httpStatus,
  body: JSON.stringify(body),
  contentType: 'application/json; charset=utf-8',
});

/** The common part of both fakes; `Op` names the gateway's operations. */
export interface FakeGatewayServer<Op extends string> {
  /** Base URL, e.g. `http://127.0.0.1:41234` (what SEP_BASE_URL / ZARINPAL_BASE_URL take). */
  url: string;
  requests: RecordedGatewayRequest[];
  /** How the following requests are answered: every operation, or only `op`. */
  respondWith(behaviour: GatewayFakeBehaviour, op?: Op): void;
  /** Everything back to normal, requests and payments forgotten. */
  reset(): void;
  close(): Promise<void>;
}

type Route<Op extends string> = (req: RecordedGatewayRequest) => { op: Op; answer: () => Reply } | null;

async function startFake<Op extends string>(
  route: Route<Op>,
  codeReply: (op: Op, code: number, message?: string) => Reply,
  onReset: () => void,
): Promise<FakeGatewayServer<Op>> {
  let all: GatewayFakeBehaviour = { kind: 'normal' };
  const perOp = new Map<Op, GatewayFakeBehaviour>();
  const requests: RecordedGatewayRequest[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedGatewayRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      try {
        const parsed: unknown = JSON.parse(body);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) recorded.json = parsed as Record<string, unknown>;
      } catch {
        recorded.json = undefined;
      }
      requests.push(recorded);
      const routed = route(recorded);
      let reply: Reply | 'hang';
      if (!routed) reply = { httpStatus: 404, body: '<html><body>404 Not Found</body></html>', contentType: 'text/html' };
      else {
        const behaviour = perOp.get(routed.op) ?? all;
        if (behaviour.kind === 'hang') reply = 'hang';
        else if (behaviour.kind === 'raw') {
          reply = { httpStatus: behaviour.httpStatus, body: behaviour.body, contentType: behaviour.contentType ?? 'text/html; charset=utf-8' };
        } else if (behaviour.kind === 'code') reply = codeReply(routed.op, behaviour.code, behaviour.message);
        else reply = routed.answer();
      }
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
    respondWith(behaviour, op) {
      if (op) perOp.set(op, behaviour);
      else {
        all = behaviour;
        perOp.clear();
      }
    },
    reset() {
      all = { kind: 'normal' };
      perOp.clear();
      requests.length = 0;
      onReset();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

// ---------------------------------------------------------------------------------------
// Saman (SEP)
// ---------------------------------------------------------------------------------------

interface SepSession {
  token: string;
  terminalId: string;
  amount: number;
  resNum: string;
  state: 'pending' | 'paid' | 'cancelled' | 'failed';
  refNum?: string;
  paidAmount?: number;
  rrn?: string;
  traceNo?: string;
  verified: boolean;
  reversed: boolean;
}

export type SepOp = 'token' | 'verify' | 'reverse';

export interface FakeSep extends FakeGatewayServer<SepOp> {
  /** The sessions opened by token requests, by token. */
  sessions: Map<string, SepSession>;
  /**
   * The payer pays at SEP (optionally another amount than the token's, which a real SEP
   * never does: it lets tests see an amount mismatch). Returns the callback form fields.
   */
  pay(token: string, options?: { amount?: number }): Record<string, string>;
  /** The payer presses cancel: SEP's CanceledByUser callback (no RefNum). */
  cancel(token: string): Record<string, string>;
  /** The card was refused: SEP's Failed callback. */
  fail(token: string): Record<string, string>;
}

/** SEP's Persian descriptions of its verify / reverse result codes (Saman IPG guide). */
const SEP_RESULT_TEXTS: Record<number, string> = {
  0: 'موفق',
  2: 'درخواست تکراری می باشد',
  [-2]: 'تراکنش یافت نشد',
  [-6]: 'بیش از نیم ساعت از زمان اجرای تراکنش گذشته است',
  [-104]: 'ترمینال ارسالی غیرفعال می باشد',
  [-105]: 'ترمینال ارسالی در سیستم موجود نمی باشد',
  [-106]: 'آدرس آی پی درخواستی غیر مجاز می باشد',
};

/**
 * Saman Electronic Payment, token IPG: `POST /onlinepg/onlinepg` (`action: token`),
 * `POST /verifyTxnRandomSessionkey/ipg/VerifyTransaction` and `.../ReverseTransaction`
 * (`{RefNum, TerminalNumber}`), all JSON over HTTP 200 as SEP answers.
 */
export async function startFakeSep(options: { terminalId: string }): Promise<FakeSep> {
  const sessions = new Map<string, SepSession>();
  const byRefNum = (refNum: unknown) => [...sessions.values()].find((s) => s.refNum !== undefined && s.refNum === refNum);

  const detail = (s: SepSession) => ({
    RRN: s.rrn,
    RefNum: s.refNum,
    MaskedPan: '621986****7512',
    HashedPan: 'a1f0c6a2e0f64b5d0f1a1a7e5d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c',
    TerminalNumber: Number(s.terminalId),
    OrginalAmount: s.paidAmount,
    AffectiveAmount: s.paidAmount,
    StraceDate: '2026-11-25 20:35:12',
    StraceNo: s.traceNo,
  });
  const result = (code: number, extra: Record<string, unknown> = {}) => ({
    ResultCode: code,
    ResultDescription: SEP_RESULT_TEXTS[code] ?? 'خطای ناشناخته',
    Success: code === 0 || code === 2,
    ...extra,
  });

  const fake = await startFake<SepOp>(
    (req) => {
      const body = req.json ?? {};
      if (req.method === 'POST' && req.path === '/onlinepg/onlinepg') {
        return {
          op: 'token',
          answer: () => {
            if (String(body.action).toLowerCase() !== 'token') return json(200, { status: -1, errorCode: '5', errorDesc: 'پارامترهای ارسالی نامعتبر است.' });
            if (String(body.TerminalId) !== options.terminalId) return json(200, { status: -1, errorCode: '12', errorDesc: 'شماره ترمینال ارسال شده یافت نشد.' });
            const amount = body.Amount;
            if (typeof amount !== 'number' || !Number.isInteger(amount) || amount <= 0 || !body.ResNum || !body.RedirectUrl) {
              return json(200, { status: -1, errorCode: '5', errorDesc: 'پارامترهای ارسالی نامعتبر است.' });
            }
            const token = randomBytes(16).toString('hex');
            sessions.set(token, { token, terminalId: options.terminalId, amount, resNum: String(body.ResNum), state: 'pending', verified: false, reversed: false });
            return json(200, { status: 1, token });
          },
        };
      }
      const m = /^\/verifyTxnRandomSessionkey\/ipg\/(VerifyTransaction|ReverseTransaction)$/.exec(req.path);
      if (req.method === 'POST' && m) {
        const op: SepOp = m[1] === 'VerifyTransaction' ? 'verify' : 'reverse';
        return {
          op,
          answer: () => {
            if (String(body.TerminalNumber) !== options.terminalId) return json(200, result(-105));
            const s = byRefNum(body.RefNum);
            if (!s || s.state !== 'paid' || s.reversed) return json(200, result(-2));
            if (op === 'reverse') {
              s.reversed = true;
              return json(200, result(0, { TransactionDetail: detail(s) }));
            }
            const code = s.verified ? 2 : 0;
            s.verified = true;
            return json(200, result(code, { TransactionDetail: detail(s) }));
          },
        };
      }
      return null;
    },
    (op, code, message) =>
      op === 'token'
        ? json(200, { status: -1, errorCode: String(code), errorDesc: message ?? 'خطا' })
        : json(200, { ...result(code), ...(message ? { ResultDescription: message } : {}) }),
    () => sessions.clear(),
  );

  const session = (token: string) => {
    const s = sessions.get(token);
    if (!s) throw new Error(`fake SEP: no session for token ${token}`);
    return s;
  };
  const form = (s: SepSession, fields: Record<string, string>) => ({
    MID: s.terminalId,
    TerminalId: s.terminalId,
    ResNum: s.resNum,
    Token: s.token,
    Amount: String(s.amount),
    ...fields,
  });
  return Object.assign(fake, {
    sessions,
    pay(token: string, opts: { amount?: number } = {}) {
      const s = session(token);
      s.state = 'paid';
      s.refNum = `GmshtyjwKSu${digits(10)}`;
      s.rrn = digits(12);
      s.traceNo = digits(6);
      s.paidAmount = opts.amount ?? s.amount;
      return form(s, {
        State: 'OK',
        Status: '2',
        RefNum: s.refNum,
        RRN: s.rrn,
        TraceNo: s.traceNo,
        Amount: String(s.paidAmount),
        SecurePan: '621986******7512',
        HashedCardNumber: 'a1f0c6a2e0f64b5d0f1a1a7e5d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c',
      });
    },
    cancel(token: string) {
      const s = session(token);
      s.state = 'cancelled';
      return form(s, { State: 'CanceledByUser', Status: '1', RefNum: '', RRN: '', TraceNo: '', SecurePan: '' });
    },
    fail(token: string) {
      const s = session(token);
      s.state = 'failed';
      return form(s, { State: 'Failed', Status: '3', RefNum: '', RRN: '', TraceNo: '', SecurePan: '' });
    },
  });
}

// ---------------------------------------------------------------------------------------
// Zarinpal v4
// ---------------------------------------------------------------------------------------

interface ZarinpalSession {
  authority: string;
  merchantId: string;
  amount: number;
  state: 'pending' | 'paid' | 'failed';
  verified: boolean;
  reversed: boolean;
  refId?: number;
}

export type ZarinpalOp = 'request' | 'verify' | 'reverse';

export interface FakeZarinpal extends FakeGatewayServer<ZarinpalOp> {
  sessions: Map<string, ZarinpalSession>;
  /** The payer pays: the callback query Zarinpal sends the browser back with. */
  pay(authority: string): Record<string, string>;
  /** The payer cancels or the card is refused: `Status=NOK`. */
  fail(authority: string): Record<string, string>;
}

/** Zarinpal's English texts of the codes the fake uses (docs: paymentGateway/errorList). */
const ZARINPAL_TEXTS: Record<number, string> = {
  [-9]: 'The input params invalid, validation error.',
  [-10]: 'Terminal is not valid, please check merchant_id or ip address.',
  [-11]: 'Terminal is not active, please contact our support team.',
  [-12]: 'To many attempts, please try again later.',
  [-50]: 'Session is not valid, amounts values is not the same.',
  [-51]: 'Session is not valid, session is not active paid try.',
  [-52]: 'Oops!!, please contact our support team',
  [-53]: 'Session is not this merchant_id session',
  [-54]: 'Invalid authority.',
  [-61]: 'Session is not in success status.',
};

/**
 * Zarinpal REST v4: `POST /pg/v4/payment/request.json`, `verify.json`, `reverse.json`.
 * Success is `{data: {code: 100, ...}, errors: []}`; a failure is `{data: [], errors:
 * {code, message, validations}}` with an HTTP 4xx status.
 */
export async function startFakeZarinpal(options: { merchantId: string }): Promise<FakeZarinpal> {
  const sessions = new Map<string, ZarinpalSession>();
  const error = (code: number, message?: string) =>
    json(code === -9 ? 422 : code === -10 || code === -11 ? 401 : 400, {
      data: [],
      errors: { code, message: message ?? ZARINPAL_TEXTS[code] ?? 'Unknown error', validations: [] },
    });
  const ok = (data: Record<string, unknown>) => json(200, { data: { message: 'Success', ...data }, errors: [] });

  const fake = await startFake<ZarinpalOp>(
    (req) => {
      const m = /^\/pg\/v4\/payment\/(request|verify|reverse)\.json$/.exec(req.path);
      if (req.method !== 'POST' || !m) return null;
      const op = m[1] as ZarinpalOp;
      const body = req.json ?? {};
      return {
        op,
        answer: () => {
          if (body.merchant_id !== options.merchantId) return error(-10);
          if (op === 'request') {
            const amount = body.amount;
            if (typeof amount !== 'number' || !Number.isInteger(amount) || amount < 1000 || !body.callback_url || !body.description) return error(-9);
            if (body.currency !== undefined && body.currency !== 'IRR' && body.currency !== 'IRT') return error(-9);
            const authority = `A${'0'.repeat(19)}${randomBytes(8).toString('hex')}`;
            sessions.set(authority, { authority, merchantId: options.merchantId, amount, state: 'pending', verified: false, reversed: false });
            return ok({ code: 100, authority, fee_type: 'Merchant', fee: 0 });
          }
          const s = typeof body.authority === 'string' ? sessions.get(body.authority) : undefined;
          if (!s) return error(-54);
          if (op === 'reverse') {
            if (!s.verified || s.reversed) return error(-61);
            s.reversed = true;
            return ok({ code: 100, message: 'Reversed' });
          }
          if (body.amount !== s.amount) return error(-50);
          if (s.state !== 'paid' || s.reversed) return error(-51);
          const code = s.verified ? 101 : 100;
          s.verified = true;
          return ok({
            code,
            message: code === 100 ? 'Paid' : 'Verified',
            ref_id: s.refId,
            card_pan: '502229******5995',
            card_hash: '1EBE3EBEBE35C7EC0F8D6EE4F2F859107A87822CA179BC9528767EA7B5489B69',
            fee_type: 'Merchant',
            fee: 0,
          });
        },
      };
    },
    (_op, code, message) => error(code, message),
    () => sessions.clear(),
  );

  const session = (authority: string) => {
    const s = sessions.get(authority);
    if (!s) throw new Error(`fake Zarinpal: no session for authority ${authority}`);
    return s;
  };
  return Object.assign(fake, {
    sessions,
    pay(authority: string) {
      const s = session(authority);
      s.state = 'paid';
      s.refId = Number(`2${digits(9)}`);
      return { Authority: authority, Status: 'OK' };
    },
    fail(authority: string) {
      session(authority).state = 'failed';
      return { Authority: authority, Status: 'NOK' };
    },
  });
}

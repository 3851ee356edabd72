import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { legalIdCheckDigit } from '../../libs/iran/src/legal-id';
import { OrganizationKind } from '../../src/modules/membership/entities/organization.entity';
import { OrganizationsService } from '../../src/modules/membership/organizations.service';
import type { TestApp } from './test-app';

let seq = 0;
/** A valid, unique legal (company) national ID. */
export function legalId(): string {
  const body = `1010${String(Date.now() % 100000).padStart(5, '0')}${seq++ % 10}`;
  return body + legalIdCheckDigit(body);
}

export interface OrgClient {
  organizationId: string;
  clientId: string;
  clientSecret: string;
  token: string;
}

/** An organization with one API client and a token carrying `scopes`. */
export async function orgClient(t: TestApp, name: string, scopes: string[], kind = OrganizationKind.Bank): Promise<OrgClient> {
  const orgs = t.app.get(OrganizationsService);
  const org = await orgs.create({ kind, name, legalNationalId: legalId(), notaryOfficeNumber: kind === OrganizationKind.Notary ? '42' : undefined }, t.orm.em.fork());
  const client = await orgs.createClient(org.id, { name: 'core', scopes }, t.orm.em.fork());
  const res = await t
    .http()
    .post('/api/v1/oauth/token')
    .send({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret })
    .expect(200);
  return { organizationId: org.id, clientId: client.clientId, clientSecret: client.clientSecret, token: res.body.access_token as string };
}

export interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A local webhook receiver: answers `status()` (200 by default) and keeps what it got. */
export async function startReceiver(): Promise<{ url: string; received: Received[]; setStatus(code: number): void; close(): Promise<void> }> {
  let status = 200;
  const received: Received[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = status;
      res.end(status < 300 ? 'ok' : 'unavailable');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    setStatus: (code) => (status = code),
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/**
 * When the desk's assessment left the inquiry awaiting payment (debts or an inquiry fee),
 * pays the bill through the bank channel and runs the jobs (the desk moves the inquiry on).
 */
export async function payIfAwaitingPayment(t: TestApp, assessed: { inquiry: { status: string }; desk: { finances?: { bill?: { billId: string; paymentId: string; amountRials: number } | null } | null } }): Promise<boolean> {
  if (assessed.inquiry.status !== 'awaiting_payment') return false;
  const bill = assessed.desk.finances?.bill;
  if (!bill) throw new Error('awaiting payment without a bill');
  const payer = await orgClient(t, `بانک پرداخت ${Math.random().toString(36).slice(2, 8)}`, ['bills:report']);
  await t
    .http()
    .post('/api/v1/bank/bill-payments')
    .set({ Authorization: `Bearer ${payer.token}` })
    .send({ billId: bill.billId, paymentId: bill.paymentId, amount: bill.amountRials, bankReference: `REF-${Date.now()}`, paidAt: new Date(Date.now() - 1000).toISOString() })
    .expect((r) => {
      if (r.status >= 300) throw new Error(`bill payment: ${r.status} ${r.text}`);
    });
  await t.jobs.drain();
  return true;
}

import { EntityManager } from '@mikro-orm/postgresql';
import type { INestApplicationContext } from '@nestjs/common';
import { run } from '../../../database/sql';
import { DemandsRepository } from '../demands.repository';

export interface DemoPayments {
  note: string;
  /** A property with open renewal and waste demands kept for trying payments (not used by other samples). */
  payable: { renewalCode: string; region: number } | null;
  howTo: Record<string, string>;
}

/**
 * The demo.json section for trying an internet payment through the sandbox gateway: a
 * property with debts that no other sample relies on (the first one, so after it is paid
 * the next start names another), and the steps.
 */
export async function paymentDemoSamples(app: INestApplicationContext, em: EntityManager, exclude: string[], publicUrl: string): Promise<DemoPayments> {
  const row = await run(em, app.get(DemandsRepository).firstPayableProperty(exclude));
  const code = row?.code ?? '{renewalCode}';
  const region = row?.region ?? '{region}';
  return {
    note:
      'Internet payment with the built-in sandbox gateway (PAYMENT_GATEWAYS=sandbox): no bank, no card, no money. ' +
      'The payer is sent to a Persian page with pay / cancel buttons; the gateway returns to the callback, which verifies and settles the bill.',
    payable: row ? { renewalCode: row.code, region: row.region } : null,
    // one flow in five steps, each followed literally (and in order) by test/e2e/demo-hints.e2e-spec.ts
    howTo: {
      '1 bill': `GET /api/v1/debts?renewalCode=${code}&region=${region}; the answer carries bill.billId`,
      '2 start':
        'POST /api/v1/payments {billId: <bill.billId>} (optional returnUrl: on PUBLIC_URL’s origin or PAYMENT_RETURN_URL_ORIGINS); ' +
        'the answer carries redirectUrl (and paymentId)',
      '3 pay':
        `open <redirectUrl> in a browser and press پرداخت (pay; or انصراف to cancel) → lands on ${publicUrl}/api/v1/payments/result?paymentId=<paymentId> ` +
        '(with a returnUrl: returnUrl?paymentId=…); the page says پرداخت موفق',
      '4 result':
        'GET /api/v1/payments/<paymentId>/receipt (?format=html for the printable receipt) → GET /api/v1/payments/<paymentId>; the answer carries status: paid',
      '5 check':
        `GET /api/v1/properties/${code}/payments with the staff token (admin; or the owner’s citizen token) → GET /api/v1/debts?renewalCode=${code}&region=${region}; ` +
        'the answer carries settled: true',
    },
  };
}

import { EntityManager } from '@mikro-orm/postgresql';
import { INestApplicationContext, Logger } from '@nestjs/common';
import { toJalali } from '@app/iran';
import { AssessmentService } from './assessment.service';
import { run } from '../../database/sql';
import { BillingService } from './billing.service';
import { DemandsRepository } from './demands.repository';
import { GuildLicence } from './entities/guild-licence.entity';
import { GuildsService } from './guilds.service';
import { DEFAULT_TARIFF_YEARS_BACK, TariffsService } from './tariffs.service';

const logger = new Logger('DemoSeed');

export interface DemoBilling {
  note: string;
  /** A property with unpaid renewal and waste demands (and a late penalty on earlier years). */
  withDebts: { renewalCode: string; region: number };
  /** A property whose file (renewal, waste, its guild units) is fully paid. */
  fullyPaid: { renewalCode: string; region: number };
  /** Guild licences: the first owes its fees, the second (in the fully paid property) is paid. */
  guilds: Array<{ guildCode: string; renewalCode: string; owner: 'demo citizen' | 'other'; paid: boolean }>;
  howTo: Record<string, string>;
}

/**
 * Demo billing data of the embedded mode: guild licences, the demands of this and the two
 * previous Jalali years (assessed once), and one property whose file is paid. Idempotent.
 */
export async function seedBillingDemo(
  app: INestApplicationContext,
  em: EntityManager,
  input: {
    withDebts: { renewalCode: string; region: number };
    fullyPaid: { renewalCode: string; region: number };
    citizenNationalId: string;
    otherNationalId: string;
  },
): Promise<DemoBilling> {
  await app.get(TariffsService).ensureDefaults(em.fork());
  const guilds: DemoBilling['guilds'] = [
    { guildCode: 'G-1-000001', renewalCode: input.withDebts.renewalCode, owner: 'demo citizen', paid: false },
    { guildCode: 'G-1-000002', renewalCode: input.fullyPaid.renewalCode, owner: 'other', paid: true },
  ];
  for (const [i, g] of guilds.entries()) {
    if (await em.fork().count(GuildLicence, { guildCode: g.guildCode })) continue;
    await app.get(GuildsService).create(
      {
        guildCode: g.guildCode,
        businessName: i === 0 ? 'سوپرمارکت نمونه' : 'کافه نمونه',
        category: i === 0 ? 'food' : 'services',
        ownerNationalId: g.owner === 'demo citizen' ? input.citizenNationalId : input.otherNationalId,
        renewalCode: g.renewalCode,
        areaM2: i === 0 ? 48 : 62,
      },
      em.fork(),
    );
  }
  const current = toJalali(new Date()).jy;
  for (let year = current - DEFAULT_TARIFF_YEARS_BACK; year <= current; year++) {
    if ((await run(em, app.get(DemandsRepository).countForYear(year))) > 0) continue;
    const r = await app.get(AssessmentService).assessYear(year, { em: em.fork() });
    logger.log(`demo billing: Jalali year ${year} assessed, ${r.created} demands`);
  }
  const billing = app.get(BillingService);
  const file = await billing.fileStatus(input.fullyPaid.renewalCode);
  if (!file.settled && file.bill) {
    await billing.settleBill(em.fork(), file.bill.billId, {
      channel: 'gateway',
      reference: `demo-seed:${input.fullyPaid.renewalCode}`,
      amountRials: file.bill.amountRials,
      paidAt: new Date(),
    });
  }
  return {
    note: 'Billing samples: renewal, waste and guild demands of this and the two previous Jalali years. Bills are paid with POST /api/v1/bank/bill-payments (the demo bank client has scope bills:report) or the payments flow.',
    withDebts: input.withDebts,
    fullyPaid: input.fullyPaid,
    guilds,
    // followed literally by test/e2e/demo-hints.e2e-spec.ts (the grammar is in demo.json's top-level note)
    howTo: {
      debts:
        `GET /api/v1/debts?renewalCode=${input.withDebts.renewalCode}&region=${input.withDebts.region}; ` +
        'the answer carries bill (bill ID, payment ID, barcode, expiry; beside it the items, penalties and the total)',
      guildDebts: `GET /api/v1/debts?guildCode=${guilds[0].guildCode}; the answer carries bill`,
      bankReport:
        `GET /api/v1/debts?guildCode=${guilds[0].guildCode} → POST /api/v1/bank/bill-payments ` +
        '{billId: <bill.billId>, paymentId: <bill.paymentId>, amount: <bill.amountRials>, bankReference: "DEMO-BANK-000001", paidAt: <now>} ' +
        'with the organization token (the demo bank, scope bills:report) → GET /api/v1/bank/statements?date=<today> with the organization token; ' +
        'the answer carries items (the day’s reports; the date may also be Gregorian, 2026-11-25)',
      history:
        `GET /api/v1/payment-history?renewalCode=${input.fullyPaid.renewalCode}&region=${input.fullyPaid.region}; ` +
        'the answer carries items (public: amounts, dates, channel and receipt numbers, no names)',
      guildHistory: `GET /api/v1/payment-history?guildCode=${guilds[1].guildCode}; the answer carries items`,
      fullHistory:
        `GET /api/v1/properties/${input.fullyPaid.renewalCode}/payments with the citizen token (the owner; staff of the region and admins see it too); ` +
        'the answer carries items',
      tariff:
        `GET /api/v1/admin/billing/tariffs/${current} with the staff token (admin or finance); the answer carries version ` +
        '(PUT the same path with the whole tariff and a note adds the next version)',
      assessment: `POST /api/v1/admin/billing/assessments {jalaliYear: ${current}} with the staff token (admin or finance); the answer carries tariffId`,
    },
  };
}

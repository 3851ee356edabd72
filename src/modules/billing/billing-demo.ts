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
    howTo: {
      debts: `GET /api/v1/debts?renewalCode=${input.withDebts.renewalCode}&region=${input.withDebts.region} (or ?guildCode=G-1-000001): items, penalties, total and a bill (bill ID, payment ID, barcode)`,
      bankReport:
        'POST /api/v1/bank/bill-payments {billId, paymentId, amount, bankReference, paidAt} with the demo bank token; GET /api/v1/bank/statements?date=1405/09/04',
      history:
        `GET /api/v1/payment-history?renewalCode=${input.fullyPaid.renewalCode}&region=${input.fullyPaid.region} (public, or ?guildCode=G-1-000002); ` +
        `full view: GET /api/v1/properties/${input.fullyPaid.renewalCode}/payments as staff (admin) or the owner`,
      admin: 'GET /api/v1/admin/billing/tariffs/{jalaliYear}, PUT to add a version; POST /api/v1/admin/billing/assessments {jalaliYear}',
    },
  };
}

import { toJalali } from '@app/iran';
import { StaffRole } from '../../src/modules/membership/entities/staff-user.entity';
import { rectWkt } from './geo';
import { signedStaffToken } from './staff';
import type { TestApp } from './test-app';

/** Origin the tests' PUBLIC_URL points at (gateway pages and callbacks are built on it). */
export const TEST_PUBLIC_URL = 'http://pay.test';
/** The citizen portal a payment returns to (PAYMENT_RETURN_URL_ORIGINS). */
export const TEST_RETURN_ORIGIN = 'https://shahr.example';

let nextX = 0;

/**
 * Properties with open renewal and waste demands of this and the two previous Jalali years
 * (assessed through the admin endpoint by a finance officer). Returns the finance token.
 */
export async function seedPropertiesWithDebts(t: TestApp, codes: string[]): Promise<string> {
  const finance = (await signedStaffToken(t, { username: `finance.${Math.random().toString(36).slice(2, 8)}`, roles: [StaffRole.FinanceOfficer], regions: [1] })).token;
  for (const code of codes) {
    const [region, district, block, parcel] = code.split('-').map(Number);
    const x = (nextX += 40);
    await t.sql(
      `insert into property (id, renewal_code, region, district, block, parcel, building, apartment, shop, address, land_area, building_area,
                             use, floors, units, structure_type, zone_code, geom, created_at, updated_at)
       values (gen_random_uuid(), $1, $2, $3, $4, $5, 0, 0, 0, 'قزوین', 300, 450, 'residential', 2, 2, 'concrete', 'R-1', st_geomfromtext($6, 4326), now(), now())`,
      [code, region, district, block, parcel, rectWkt(x, 0, x + 20, 20)],
    );
  }
  const y = toJalali(new Date()).jy;
  for (const year of [y - 2, y - 1, y]) {
    await t.http().post('/api/v1/admin/billing/assessments').set('Authorization', `Bearer ${finance}`).send({ jalaliYear: year }).expect(200);
  }
  return finance;
}

export interface DebtsBill {
  billId: string;
  paymentId: string;
  amountRials: number;
  expiresAt: string;
}

export async function currentBill(t: TestApp, renewalCode: string): Promise<DebtsBill> {
  const res = await t.http().get('/api/v1/debts').query({ renewalCode }).expect(200);
  if (!res.body.bill) throw new Error(`no bill for ${renewalCode}`);
  return res.body.bill as DebtsBill;
}

/** Path and query of an absolute URL on TEST_PUBLIC_URL (what supertest requests). */
export function localPath(url: string): string {
  const u = new URL(url);
  if (u.origin !== TEST_PUBLIC_URL) throw new Error(`expected a URL on ${TEST_PUBLIC_URL}, got ${url}`);
  return u.pathname + u.search;
}

/** Makes the reconciliation job of a payment due now (as if its delay had passed). */
export async function reconcileDueNow(t: TestApp, paymentId: string): Promise<void> {
  await t.sql(`update job set run_at = now() where queue = 'payments.reconcile' and status = 'pending' and payload->>'paymentId' = $1`, [paymentId]);
}

/** The gateway environment of the payments tests. */
export function gatewayEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PUBLIC_URL: TEST_PUBLIC_URL,
    PAYMENT_RETURN_URL_ORIGINS: TEST_RETURN_ORIGIN,
    PAYMENT_GATEWAY_TIMEOUT_MS: '500',
    ...extra,
  };
}

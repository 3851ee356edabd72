import { createHash } from 'node:crypto';
import { jalaliDateTimeToUtc } from '@app/iran';
import type { JalaliMonth } from './charges';

/**
 * When a bill issued at `now` expires: after `validityDays`, but never past the start of the
 * next Jalali month in Asia/Tehran, because penalties and discounts change monthly.
 */
export function billExpiry(now: Date, today: JalaliMonth, validityDays: number): Date {
  const next = today.jm === 12 ? { jy: today.jy + 1, jm: 1 } : { jy: today.jy, jm: today.jm + 1 };
  const monthEnd = jalaliDateTimeToUtc(next.jy, next.jm, 1, 0, 0);
  const byDays = new Date(now.getTime() + validityDays * 86_400_000);
  return byDays < monthEnd ? byDays : monthEnd;
}

/**
 * Identity of a bill's content: each demand with the amount charged — whatever the scope it
 * was asked for (public `/debts` of a property and an inquiry's file check cover the same
 * demands when the file has no guild fees). An open bill with the same hash is offered again
 * instead of issuing a new one: one open bill per debt set.
 */
export function demandSetHash(items: Array<{ demandId: string; amountRials: string }>): string {
  const key = items.map((i) => `${i.demandId}:${i.amountRials}`).sort().join('|');
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

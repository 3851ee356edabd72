/**
 * Penalties, discounts and bill rounding: pure integer arithmetic on bigint Rials.
 * A demand of Jalali year Y falls due at the end of Y. Each started month after that
 * adds `monthlyBp` of the principal as late penalty, up to `maxBp`. Demands of the
 * current year paid up to the end of month `untilMonth` get `percentBp` off.
 * Rounding: penalties and discounts are rounded down (in the citizen's favour).
 */
import type { DiscountRule, PenaltyRule } from './tariff';

export interface JalaliMonth {
  jy: number;
  jm: number;
}

export interface DemandCharge {
  principal: bigint;
  penalty: bigint;
  discount: bigint;
  amount: bigint;
}

/** Started months since the end of `demandYear` (0 while still in that year). */
export function monthsLate(demandYear: number, today: JalaliMonth): number {
  const months = (today.jy - demandYear - 1) * 12 + today.jm;
  return months > 0 ? months : 0;
}

export function lateFee(principal: bigint, demandYear: number, today: JalaliMonth, rule: PenaltyRule): bigint {
  const months = monthsLate(demandYear, today);
  if (months === 0 || principal <= 0n) return 0n;
  const bp = BigInt(Math.min(months * rule.monthlyBp, rule.maxBp));
  return (principal * bp) / 10_000n;
}

export function earlyDiscount(principal: bigint, demandYear: number, today: JalaliMonth, rule: DiscountRule): bigint {
  if (principal <= 0n || rule.untilMonth < 1 || today.jy !== demandYear || today.jm > rule.untilMonth) return 0n;
  return (principal * BigInt(rule.percentBp)) / 10_000n;
}

export function chargeOf(principal: bigint, demandYear: number, today: JalaliMonth, penalty: PenaltyRule, discount: DiscountRule): DemandCharge {
  const p = lateFee(principal, demandYear, today, penalty);
  const d = earlyDiscount(principal, demandYear, today, discount);
  return { principal, penalty: p, discount: d, amount: principal + p - d };
}

/** The bank bill standard: a payable amount is a whole number of thousand Rials, rounded down. */
export function roundDownToThousand(rials: bigint): bigint {
  if (rials <= 0n) return 0n;
  return (rials / 1000n) * 1000n;
}

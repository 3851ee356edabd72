import { chargeOf, earlyDiscount, lateFee, monthsLate, roundDownToThousand } from './charges';

const penalty = { monthlyBp: 150, maxBp: 3600 };
const discount = { percentBp: 1000, untilMonth: 3 };

describe('billing charges', () => {
  it.each([
    [1405, { jy: 1405, jm: 12 }, 0],
    [1404, { jy: 1405, jm: 1 }, 1],
    [1404, { jy: 1405, jm: 9 }, 9],
    [1403, { jy: 1405, jm: 9 }, 21],
    [1406, { jy: 1405, jm: 9 }, 0],
  ])('months late of year %i at %o is %i', (year, today, months) => {
    expect(monthsLate(year, today)).toBe(months);
  });

  it.each([
    // principal, year, today, expected penalty (rounded down)
    [1_000_000n, 1404, { jy: 1405, jm: 9 }, 135_000n],
    [1_000_001n, 1404, { jy: 1405, jm: 1 }, 15_000n],
    [999n, 1404, { jy: 1405, jm: 1 }, 14n],
    [1_000_000n, 1390, { jy: 1405, jm: 9 }, 360_000n],
    [1_000_000n, 1405, { jy: 1405, jm: 9 }, 0n],
    [0n, 1400, { jy: 1405, jm: 9 }, 0n],
  ])('late fee of %s Rials of %i at %o is %s', (principal, year, today, expected) => {
    expect(lateFee(principal, year, today, penalty)).toBe(expected);
  });

  it('discounts only the current year up to the end of the rule month', () => {
    expect(earlyDiscount(1_234_567n, 1405, { jy: 1405, jm: 3 }, discount)).toBe(123_456n);
    expect(earlyDiscount(1_234_567n, 1405, { jy: 1405, jm: 4 }, discount)).toBe(0n);
    expect(earlyDiscount(1_234_567n, 1404, { jy: 1405, jm: 1 }, discount)).toBe(0n);
    expect(earlyDiscount(1_234_567n, 1405, { jy: 1405, jm: 1 }, { percentBp: 1000, untilMonth: 0 })).toBe(0n);
  });

  it('adds penalty and subtracts discount exactly', () => {
    expect(chargeOf(2_000_000n, 1403, { jy: 1405, jm: 2 }, penalty, discount)).toEqual({
      principal: 2_000_000n,
      penalty: 420_000n,
      discount: 0n,
      amount: 2_420_000n,
    });
  });

  it.each([
    [0n, 0n],
    [999n, 0n],
    [1000n, 1000n],
    [123_456_789n, 123_456_000n],
    [-5n, 0n],
    [99_999_999_999n, 99_999_999_000n],
  ])('rounds %s down to whole thousands: %s', (input, out) => {
    expect(roundDownToThousand(input)).toBe(out);
  });
});

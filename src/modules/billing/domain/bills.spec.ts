import { billExpiry, demandSetHash } from './bills';

describe('bill expiry and identity', () => {
  it('expires after the validity days within the month', () => {
    const now = new Date('2026-11-25T08:00:00Z'); // 1405/09/04 Tehran
    expect(billExpiry(now, { jy: 1405, jm: 9 }, 7).toISOString()).toBe('2026-12-02T08:00:00.000Z');
  });

  it('never outlives the Jalali month (ends at 00:00 Tehran on the 1st of the next month)', () => {
    const now = new Date('2026-12-18T08:00:00Z'); // 1405/09/27
    // 1405/10/01 00:00 Asia/Tehran (UTC+03:30) = 2026-12-21T20:30Z
    expect(billExpiry(now, { jy: 1405, jm: 9 }, 7).toISOString()).toBe('2026-12-21T20:30:00.000Z');
  });

  it('rolls Esfand over into Farvardin of the next year', () => {
    const now = new Date('2027-03-18T08:00:00Z'); // 1405/12/27
    expect(billExpiry(now, { jy: 1405, jm: 12 }, 30).toISOString()).toBe('2027-03-20T20:30:00.000Z'); // 1406/01/01 00:00 Tehran
  });

  it('hashes the demand set independently of order and of the scope it was asked for, and changes with an amount or a demand', () => {
    const a = { demandId: 'a', amountRials: '1000' };
    const b = { demandId: 'b', amountRials: '2000' };
    expect(demandSetHash([a, b])).toBe(demandSetHash([b, a]));
    expect(demandSetHash([a, b])).not.toBe(demandSetHash([a, { ...b, amountRials: '2001' }]));
    expect(demandSetHash([a, b])).not.toBe(demandSetHash([a]));
  });
});

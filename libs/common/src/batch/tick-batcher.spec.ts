import { tickBatcher } from './tick-batcher';

describe('tickBatcher', () => {
  it('serves the calls of one turn with one run, each caller with its own result', async () => {
    const runs: number[][] = [];
    const double = tickBatcher<number, number>(async (xs) => (runs.push(xs), xs.map((x) => x * 2)));
    const first = await Promise.all([double(1), double(2), double(3)]);
    const later = await double(4);
    expect(first).toEqual([2, 4, 6]);
    expect(later).toBe(8);
    expect(runs).toEqual([[1, 2, 3], [4]]);
  });

  it('fails every call of a turn whose run fails, and serves the next turn normally', async () => {
    let fail = true;
    const echo = tickBatcher<string, string>(async (xs) => {
      if (fail) throw new Error('connection lost');
      return xs;
    });
    const outcomes = await Promise.allSettled([echo('a'), echo('b')]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect((outcomes[0] as PromiseRejectedResult).reason.message).toBe('connection lost');
    fail = false;
    expect(await echo('c')).toBe('c');
  });

  it('refuses a run that answers a different number of results', async () => {
    const broken = tickBatcher<number, number>(async () => [1]);
    await expect(Promise.all([broken(1), broken(2)])).rejects.toThrow('1 results for 2 inputs');
  });
});

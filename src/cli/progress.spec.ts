import { ProgressReporter, ProgressSink } from './progress';

/** A fake stream that records every chunk, and a clock the test moves by hand. */
function fixture(isTTY: boolean) {
  const chunks: string[] = [];
  const sink: ProgressSink = { isTTY, write: (c: string) => chunks.push(c) };
  let t = 1_000_000;
  const clock = { now: () => t, advance: (ms: number) => (t += ms) };
  return { chunks, sink, clock };
}

describe('ProgressReporter', () => {
  it('not on a terminal: one line every few seconds and one at the end, never one per step', () => {
    const { chunks, sink, clock } = fixture(false);
    const p = new ProgressReporter({ unit: 'parcels', sink, now: clock.now, lineIntervalMs: 5000 });
    // 100 000 steps, 1 ms apart: 100 s of work
    for (let done = 1; done <= 100_000; done++) {
      clock.advance(1);
      p.update(done, 100_000);
    }
    p.end();
    // the first step, then every 5 s (20 lines over 100 s), then the final line
    expect(chunks.length).toBeGreaterThanOrEqual(20);
    expect(chunks.length).toBeLessThanOrEqual(22);
    expect(chunks.every((c) => c.endsWith('\n') && !c.includes('\r') && !c.includes('\u001b'))).toBe(true);
    expect(chunks[0]).toBe('0% 1/100000 parcels\n');
    expect(chunks.at(-1)).toBe('100% 100000/100000 parcels\n');
  });

  it('not on a terminal: the completion line is written once even if the last step repeats', () => {
    const { chunks, sink, clock } = fixture(false);
    const p = new ProgressReporter({ unit: 'parcels', sink, now: clock.now });
    p.update(10, 10);
    p.update(10, 10);
    p.end();
    expect(chunks).toEqual(['100% 10/10 parcels\n']);
  });

  it('on a terminal: a bar redrawn in place, throttled, closed by one newline', () => {
    const { chunks, sink, clock } = fixture(true);
    const p = new ProgressReporter({ unit: 'parcels', sink, now: clock.now, ttyIntervalMs: 100 });
    for (let done = 1; done <= 1000; done++) {
      clock.advance(1);
      p.update(done, 1000);
    }
    p.end();
    // about one redraw per 100 ms over 1 s, plus the final one
    expect(chunks.length).toBeGreaterThanOrEqual(10);
    expect(chunks.length).toBeLessThanOrEqual(12);
    expect(chunks.every((c) => c.startsWith('\r['))).toBe(true);
    expect(chunks.slice(0, -1).every((c) => !c.includes('\n'))).toBe(true);
    expect(chunks.at(-1)).toBe('\r[#########################] 100% 1000/1000 parcels\u001b[K\n');
    expect(chunks.join('').split('\n')).toHaveLength(2); // one newline in all
  });

  it('on a terminal: a job that stops early gets its newline from end()', () => {
    const { chunks, sink, clock } = fixture(true);
    const p = new ProgressReporter({ unit: 'parcels', sink, now: clock.now });
    p.update(5, 10);
    expect(chunks).toEqual(['\r[############.............] 50% 5/10 parcels\u001b[K']);
    p.end();
    p.end();
    expect(chunks.at(-1)).toBe('\n');
    expect(chunks).toHaveLength(2);
  });

  it('run(): a job that throws half-way still ends its bar, and the error goes on to the caller', async () => {
    const { chunks, sink, clock } = fixture(true);
    const p = new ProgressReporter({ unit: 'parcels', sink, now: clock.now });
    const failing = p.run(async (bar) => {
      bar.update(3, 10);
      throw new Error('the database went away');
    });
    await expect(failing).rejects.toThrow('the database went away');
    expect(chunks).toEqual(['\r[#######..................] 30% 3/10 parcels\u001b[K', '\n']);
  });

  it('run(): a job that finishes returns its value; a bar completed by the job gets no second newline', async () => {
    const { chunks, sink, clock } = fixture(true);
    const p = new ProgressReporter({ unit: 'parcels', sink, now: clock.now });
    const value = await p.run(async (bar) => {
      bar.update(10, 10);
      return 42;
    });
    expect(value).toBe(42);
    expect(chunks).toEqual(['\r[#########################] 100% 10/10 parcels\u001b[K\n']);
  });

  it('phases (the assessment: properties, then guilds) each get their own completion line', () => {
    const { chunks, sink, clock } = fixture(false);
    const p = new ProgressReporter({ sink, now: clock.now });
    for (const [kind, total] of [['properties', 300], ['guilds', 50]] as const) {
      for (let done = 100; done <= total; done += 50) {
        clock.advance(10);
        p.update(Math.min(done, total), total, `${kind}, ${done} demands created`, kind);
      }
      p.update(total, total, `${kind}, ${total} demands created`, kind);
    }
    expect(chunks).toEqual([
      '33% 100/300 properties, 100 demands created\n',
      '100% 300/300 properties, 300 demands created\n',
      '100% 50/50 guilds, 50 demands created\n',
    ]);
  });
});

import { EventEmitter } from 'node:events';
import { guardConnection, isReusable } from './connection-guard';

/** A pg client whose statements answer only when told to. */
function fakeClient() {
  const pending: Array<{ text: string; answer: (err: Error | null, rows?: unknown) => void }> = [];
  const client = Object.assign(new EventEmitter(), {
    ended: false,
    query(config: { text: string } | string, callback?: (err: Error | null, rows?: unknown) => void): Promise<unknown> | undefined {
      const text = typeof config === 'string' ? config : config.text;
      if (callback) {
        pending.push({ text, answer: callback });
        return undefined;
      }
      return new Promise((resolve, reject) => pending.push({ text, answer: (err, rows) => (err ? reject(err) : resolve(rows)) }));
    },
    async end() {
      client.ended = true;
    },
  });
  return { client, pending };
}

describe('guardConnection (the client-side backstop)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('ends a connection whose statement has no answer within the backstop, and the pool refuses it', () => {
    const { client, pending } = fakeClient();
    guardConnection(client as never, 1000);
    client.query({ text: 'select 1' }, () => undefined);
    pending[0].answer(null, []);
    jest.advanceTimersByTime(5000);
    expect(client.ended).toBe(false); // answered in time: the timer was cleared
    expect(isReusable(client)).toBe(true);

    void client.query('update x set y = 1');
    jest.advanceTimersByTime(999);
    expect(client.ended).toBe(false);
    jest.advanceTimersByTime(1);
    expect(client.ended).toBe(true);
    expect(isReusable(client)).toBe(false);
  });

  it('follows SET LOCAL statement_timeout until the transaction ends', () => {
    const { client, pending } = fakeClient();
    guardConnection(client as never, 1000);
    const run = (text: string) => {
      client.query({ text }, () => undefined);
      pending.at(-1)!.answer(null, []);
    };
    run('begin');
    run('set local statement_timeout = 60000');
    client.query({ text: 'insert into property select …' }, () => undefined);
    jest.advanceTimersByTime(60_000);
    expect(client.ended).toBe(false); // the long statement may take its 60 s (+ 5 s margin)
    pending.at(-1)!.answer(null, []);
    run('commit');
    client.query({ text: 'select 1' }, () => undefined);
    jest.advanceTimersByTime(1000);
    expect(client.ended).toBe(true); // back to the request backstop after the transaction
  });

  it('does nothing with a backstop of 0 (maintenance connections)', () => {
    const { client } = fakeClient();
    const query = client.query;
    guardConnection(client as never, 0);
    expect(client.query).toBe(query);
  });
});

import { cte, run, statement, withCtes } from '../../src/database/sql';
import { NotificationsRepository } from '../../src/modules/notifications/notifications.repository';
import { SmsStatus } from '../../src/modules/notifications/entities/sms-message.entity';
import { createTestDb, TestDb } from '../helpers/test-app';

const message = (id: string, mobile = '09121234567') => ({ id, mobile, template: 'text', body: `body ${id.slice(-2)}`, provider: 'sandbox' });

describe('NotificationsRepository (real database)', () => {
  let db: TestDb;
  const repo = new NotificationsRepository();
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db?.close());

  it('queues a message and reads a mobile’s recent ones newest first, limited', async () => {
    await run(db.em(), repo.insertMessage(message('00000000-0000-7000-8000-000000000001')));
    await run(db.em(), repo.insertMessage(message('00000000-0000-7000-8000-000000000002')));
    await run(db.em(), repo.insertMessage(message('00000000-0000-7000-8000-000000000003', '09350000000')));
    await db.sql(`update sms_message set created_at = now() - interval '2 hours' where id = $1`, ['00000000-0000-7000-8000-000000000001']);
    await db.sql(`update sms_message set created_at = now() - interval '1 minute' where id = $1`, ['00000000-0000-7000-8000-000000000002']);
    const { items: recent, total } = await run(db.em(), repo.recentTo('09121234567', 3600, 10));
    expect(recent).toHaveLength(1);
    expect(total).toBe(1);
    expect(recent[0]).toMatchObject({
      id: '00000000-0000-7000-8000-000000000002',
      mobile: '09121234567',
      template: 'text',
      body: 'body 02',
      provider: 'sandbox',
      status: 'queued',
      attempts: 0,
      sentAt: null,
    });
    expect(recent[0].createdAt).toBeInstanceOf(Date);
    expect((await run(db.em(), repo.recentTo('09121234567', 3 * 3600, 10))).items).toHaveLength(2);
    const first = await run(db.em(), repo.recentTo('09121234567', 3 * 3600, 1));
    expect({ id: first.items[0].id, total: first.total }).toEqual({ id: '00000000-0000-7000-8000-000000000002', total: 2 });
    const second = await run(db.em(), repo.recentTo('09121234567', 3 * 3600, 1, 1));
    expect({ ids: second.items.map((m) => m.id), total: second.total }).toEqual({ ids: ['00000000-0000-7000-8000-000000000001'], total: 2 });
  });

  it('writes a conditional message only when the handle produced a row, and nothing when the transaction rolls back', async () => {
    const none = cte(statement(`select 1 as x where false`, []));
    await run(db.em(), withCtes([none], repo.insertMessage(message('00000000-0000-7000-8000-000000000011'), none)));
    await expect(
      db.em().transactional(async (tx) => {
        await run(tx, repo.insertMessage(message('00000000-0000-7000-8000-000000000012')));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const some = cte(statement(`select 1 as x`, []));
    await run(db.em(), withCtes([some], repo.insertMessage(message('00000000-0000-7000-8000-000000000013'), some)));
    const rows = await db.sql<{ id: string }>(`select id from sms_message where id::text like '%00000000001_' order by id`);
    expect(rows).toEqual([{ id: '00000000-0000-7000-8000-000000000013' }]);
  });

  it('reads messages for delivery and marks them sent, unsendable or failed once more', async () => {
    const [a, b, c] = ['00000000-0000-7000-8000-000000000021', '00000000-0000-7000-8000-000000000022', '00000000-0000-7000-8000-000000000023'];
    for (const id of [a, b, c]) await run(db.em(), repo.insertMessage(message(id)));
    const found = await run(db.em(), repo.forDelivery([a, b, '00000000-0000-7000-8000-0000000000ff']));
    expect(found.sort((x, y) => x.id.localeCompare(y.id))).toEqual([
      { id: a, mobile: '09121234567', template: 'text', status: 'queued' },
      { id: b, mobile: '09121234567', template: 'text', status: 'queued' },
    ]);

    await run(db.em(), repo.markSent('kavenegar', [{ id: a, providerMessageId: 'p-1' }, { id: b, providerMessageId: null }]));
    await run(db.em(), repo.markUnsendable(c, 'UNREADABLE: key changed'));
    const rows = await db.sql<{ id: string; status: string; attempts: number; provider: string; provider_message_id: string | null; sent: boolean; last_error: string | null }>(
      `select id, status, attempts, provider, provider_message_id, sent_at is not null as sent, last_error from sms_message where id in ($1, $2, $3) order by id`,
      [a, b, c],
    );
    expect(rows).toEqual([
      { id: a, status: 'sent', attempts: 1, provider: 'kavenegar', provider_message_id: 'p-1', sent: true, last_error: null },
      { id: b, status: 'sent', attempts: 1, provider: 'kavenegar', provider_message_id: null, sent: true, last_error: null },
      { id: c, status: 'failed', attempts: 0, provider: 'sandbox', provider_message_id: null, sent: false, last_error: 'UNREADABLE: key changed' },
    ]);

    await run(db.em(), repo.recordFailedAttempt(c, 'kavenegar', 'TIMEOUT: slow', SmsStatus.Queued));
    await run(db.em(), repo.recordFailedAttempt(c, 'kavenegar', 'TIMEOUT: slower', SmsStatus.Failed));
    const [after] = await db.sql<{ status: string; attempts: number; last_error: string }>(`select status, attempts, last_error from sms_message where id = $1`, [c]);
    expect(after).toEqual({ status: 'failed', attempts: 2, last_error: 'TIMEOUT: slower' });
  });
});

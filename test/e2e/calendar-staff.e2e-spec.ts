import { StaffRole } from '../../src/modules/membership/entities/staff-user.entity';
import { signedStaffToken, staffToken } from '../helpers/staff';
import { createTestApp, TestApp } from '../helpers/test-app';

describe('working calendar and SLA clock over HTTP', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await createTestApp();
    admin = (await signedStaffToken(t, { username: 'root', roles: [StaffRole.Admin] })).token;
    // the tests use 1404 (Nowruz 2025); the app seeded the current and next year itself
    for (const year of [1403, 1404]) {
      await t.http().post(`/api/v1/admin/calendar/years/${year}/generate`).set('Authorization', `Bearer ${admin}`).expect(201);
    }
  });
  afterAll(() => t?.close());

  it('seeded the current and next Jalali years at start-up', async () => {
    const rows = await t.sql<{ year: string; n: string }>(
      `select substr(jalali, 1, 4) as year, count(*) as n from calendar_day group by 1 order by 1`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const r of rows) expect(Number(r.n)).toBeGreaterThanOrEqual(365);
  });

  it('lists Nowruz 1404 as holidays and a normal Saturday as a working day', async () => {
    const res = await t.http().get('/api/v1/calendar/days?from=1404/01/01&to=1404/01/16').expect(200);
    const byJalali = Object.fromEntries(res.body.map((d: { jalali: string }) => [d.jalali, d]));
    for (const d of ['1404/01/01', '1404/01/02', '1404/01/03', '1404/01/04', '1404/01/12', '1404/01/13']) {
      expect(byJalali[d].kind).toBe('holiday');
    }
    expect(byJalali['1404/01/16']).toMatchObject({ kind: 'work', opensAt: '07:30', closesAt: '14:30', weekday: 'شنبه' });
  });

  it('takes the range in either calendar (the same days); a day in neither is one field error naming both', async () => {
    const jalali = (await t.http().get('/api/v1/calendar/days').query({ from: '1404/01/01', to: '1404/01/16' }).expect(200)).body;
    expect(jalali).toHaveLength(16);
    expect(jalali[0]).toMatchObject({ date: '2025-03-21', jalali: '1404/01/01' });
    expect((await t.http().get('/api/v1/calendar/days').query({ from: '2025-03-21', to: '2025-04-05' }).expect(200)).body).toEqual(jalali);
    // mixed: Jalali with dashes and Persian digits, then Gregorian
    expect((await t.http().get('/api/v1/calendar/days').query({ from: '۱۴۰۴-۰۱-۰۱', to: '2025-04-05' }).expect(200)).body).toEqual(jalali);
    const bad = await t.http().get('/api/v1/calendar/days').query({ from: '1404/01/32', to: '2025/04/05' }).set('Accept-Language', 'en').expect(400);
    expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(bad.body.errors).toEqual([
      { field: 'from', code: 'isCalendarDay', message: expect.stringMatching(/^from must be a date: Jalali YYYY\/MM\/DD .*Gregorian YYYY-MM-DD/) },
      { field: 'to', code: 'isCalendarDay', message: expect.stringMatching(/^to must be a date: Jalali YYYY\/MM\/DD .*Gregorian YYYY-MM-DD/) },
    ]);
    const missing = await t.http().get('/api/v1/calendar/days').query({ from: '1404/01/01' }).expect(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'to', code: 'isCalendarDay', message: expect.stringContaining('میلادی') })]);
  });

  it('computes due dates: Wednesday 14:00 → Saturday 14:00; Nowruz pushes past the holidays', async () => {
    // Wed 1404/08/07 = 2025-10-29, 14:00 Tehran = 10:30Z
    const wed = await t.http().get('/api/v1/calendar/due-date').query({ start: '2025-10-29T10:30:00Z', workingDays: 1 }).expect(200);
    expect(wed.body).toMatchObject({ dueAt: '2025-11-01T10:30:00.000Z', dueAtJalali: '1404/08/10 14:00' });
    // Tue 1403/12/28 14:00 (2025-03-18T10:30Z) + 1 working day: 12/29 (Wed) is a holiday, Thu/Fri,
    // Nowruz 1404/01/01-04 (Fri-Mon) → due Tue 1404/01/05 14:00
    const nowruz = await t.http().get('/api/v1/calendar/due-date').query({ start: '2025-03-18T10:30:00Z' }).expect(200);
    expect(nowruz.body).toMatchObject({ dueAt: '2025-03-25T10:30:00.000Z', dueAtJalali: '1404/01/05 14:00' });
  });

  it('lets an admin mark a late-announced holiday, audited, and the SLA follows it', async () => {
    // Sat 1404/08/10 (2025-11-01) becomes a holiday: Wednesday's request is now due Sunday
    const res = await t
      .http()
      .put('/api/v1/admin/calendar/days/1404-08-10')
      .set('Authorization', `Bearer ${admin}`)
      .send({ kind: 'holiday', title: 'تعطیل اعلام‌شده' })
      .expect(200);
    expect(res.body).toMatchObject({ date: '2025-11-01', kind: 'holiday', opensAt: null, source: 'admin' });
    const due = await t.http().get('/api/v1/calendar/due-date').query({ start: '2025-10-29T10:30:00Z', workingDays: 1 }).expect(200);
    expect(due.body.dueAt).toBe('2025-11-02T10:30:00.000Z');
    const [log] = await t.sql<{ action: string; actor_type: string; before: { kind: string }; after: { kind: string } }>(
      `select action, actor_type, before, after from audit_log where action = 'calendar.day.updated'`,
    );
    expect(log).toMatchObject({ actor_type: 'staff', before: { kind: 'work' }, after: { kind: 'holiday' } });
    // regeneration keeps the admin's edit
    await t.http().post('/api/v1/admin/calendar/years/1404/generate').set('Authorization', `Bearer ${admin}`).expect(201);
    const [day] = await t.sql<{ kind: string }>(`select kind from calendar_day where date = '2025-11-01'`);
    expect(day.kind).toBe('holiday');
  });

  it('rejects bad calendar input with coded errors', async () => {
    const auth = { Authorization: `Bearer ${admin}` };
    const bad = await t.http().put('/api/v1/admin/calendar/days/1404-13-01').set(auth).send({ kind: 'holiday' }).expect(400);
    expect(bad.body.code).toBe('CALENDAR_DATE_INVALID');
    // the path parameter follows the same date policy: Gregorian names the same day; neither calendar is refused naming both
    const put = await t.http().put('/api/v1/admin/calendar/days/2025-11-02').set(auth).send({ kind: 'work', opensAt: '07:30', closesAt: '14:30' }).expect(200);
    expect(put.body).toMatchObject({ date: '2025-11-02', jalali: '1404/08/11' });
    for (const date of ['2025-02-29', '2025%2F11%2F02', '02-11-2025']) {
      const wrong = await t.http().put(`/api/v1/admin/calendar/days/${date}`).set(auth).set('Accept-Language', 'en').send({ kind: 'holiday' }).expect(400);
      expect([date, wrong.body.code, wrong.body.detail]).toEqual([date, 'CALENDAR_DATE_INVALID', expect.stringMatching(/Jalali.*Gregorian 2025-04-01/)]);
    }
    const hours = await t
      .http()
      .put('/api/v1/admin/calendar/days/1404-08-11')
      .set(auth)
      .send({ kind: 'half', opensAt: '12:00', closesAt: '08:00' })
      .expect(400);
    expect(hours.body.code).toBe('CALENDAR_HOURS_INVALID');
    const missing = await t.http().put('/api/v1/admin/calendar/days/1404-08-11').set(auth).send({ kind: 'work' }).expect(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['opensAt', 'closesAt']));
    const range = await t.http().get('/api/v1/calendar/days?from=1404/01/01&to=1406/01/01').expect(400);
    expect(range.body.code).toBe('CALENDAR_RANGE_TOO_LONG');
    const year = await t.http().post('/api/v1/admin/calendar/years/999/generate').set(auth).expect(400);
    expect(year.body.code).toBe('CALENDAR_YEAR_OUT_OF_RANGE');
  });
});

describe('staff login', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await staffToken(t, { username: 'inspector2', roles: [StaffRole.Inspector], regions: [2], password: 'right-password' });
  });
  afterAll(() => t?.close());

  it('issues a token carrying roles and regions; usernames are case-insensitive', async () => {
    const res = await t.http().post('/api/v1/staff/auth/login').send({ username: 'Inspector2', password: 'right-password' }).expect(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, roles: ['inspector'], regions: [2] });
  });

  it('answers a wrong password and an unknown user identically; five failures make the next attempt wait, never a lock', async () => {
    const unknown = await t.http().post('/api/v1/staff/auth/login').send({ username: 'nobody', password: 'x' }).expect(401);
    const wrong = await t.http().post('/api/v1/staff/auth/login').send({ username: 'inspector2', password: 'x' }).expect(401);
    expect(unknown.body.code).toBe('STAFF_LOGIN_FAILED');
    expect(wrong.body.detail).toBe(unknown.body.detail);
    for (let i = 0; i < 4; i++) {
      await t.http().post('/api/v1/staff/auth/login').send({ username: 'inspector2', password: 'x' }).expect(401);
    }
    const waiting = await t.http().post('/api/v1/staff/auth/login').send({ username: 'inspector2', password: 'right-password' }).expect(429);
    expect(waiting.body.code).toBe('STAFF_LOGIN_THROTTLED');
    expect(waiting.headers['retry-after']).toBe('1');
    // no lock on the account: once the second has passed the right password signs in
    await t.sql(`update staff_login_throttle set blocked_until = now() - interval '1 millisecond'`);
    await t.http().post('/api/v1/staff/auth/login').send({ username: 'inspector2', password: 'right-password' }).expect(200);
    const actions = await t.sql<{ action: string }>(`select action from audit_log where action like 'staff.login.%' order by at`);
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['staff.login.succeeded', 'staff.login.failed', 'staff.login.throttled']));
    // the password never reaches the audit log
    expect(JSON.stringify(await t.sql(`select * from audit_log`))).not.toContain('right-password');
  });

  it('rate-limits login attempts per client IP with 429 and Retry-After', async () => {
    let last;
    for (let i = 0; i < 31; i++) {
      last = await t.http().post('/api/v1/staff/auth/login').send({ username: 'ghost', password: 'x' });
    }
    expect(last!.status).toBe(429);
    expect(last!.body.code).toBe('RATE_LIMITED');
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(last!.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

import { DEFAULT_WEEK, DEFAULT_WEEK_SPEC, parseWeekTemplate } from './working-week';

describe('parseWeekTemplate', () => {
  it('parses the default spec into DEFAULT_WEEK', () => {
    expect(parseWeekTemplate(DEFAULT_WEEK_SPEC)).toEqual(DEFAULT_WEEK);
  });

  it('makes a shorter day a half day', () => {
    const week = parseWeekTemplate('sat-wed=07:30-14:30;thu=07:30-12:00;fri=closed');
    expect(week[4]).toEqual({ kind: 'half', opensAt: '07:30', closesAt: '12:00' });
    expect(week[6]).toEqual({ kind: 'work', opensAt: '07:30', closesAt: '14:30' });
    expect(week[5]).toEqual({ kind: 'holiday', opensAt: null, closesAt: null });
  });

  it.each([
    ['lists, case and spaces', ' SAT , sun,mon-wed = 8:00-15:00 ; thu,fri=Closed; ', 3, { kind: 'work', opensAt: '08:00', closesAt: '15:00' }],
    ['explicit half', 'sat-thu=half 07:30-14:30;fri=closed', 2, { kind: 'half', opensAt: '07:30', closesAt: '14:30' }],
    ['explicit work', 'sat-wed=07:30-14:30;thu=work:07:30-12:00;fri=closed', 4, { kind: 'work', opensAt: '07:30', closesAt: '12:00' }],
    ['wrapping range', 'thu-sat=closed;sun-wed=07:00-13:00', 5, { kind: 'holiday', opensAt: null, closesAt: null }],
  ])('accepts %s', (_name, spec, weekday, rule) => {
    expect(parseWeekTemplate(spec)[weekday as 0]).toEqual(rule);
  });

  it.each([
    ['', /empty/],
    ['sat-wxd=07:30-14:30;thu=closed;fri=closed', /part "sat-wxd=07:30-14:30": unknown weekday "wxd"/],
    ['sat-wed 07:30-14:30;thu=closed;fri=closed', /part "sat-wed 07:30-14:30": expected/],
    ['sat-wed=07:30-25:00;thu=closed;fri=closed', /part "sat-wed=07:30-25:00": Invalid closing time "25:00"/],
    ['sat-wed=14:30-07:30;thu=closed;fri=closed', /part "sat-wed=14:30-07:30": closing time 07:30 is not after opening time 14:30/],
    ['sat-wed=07:30-14:30;thu=open;fri=closed', /part "thu=open": bad value "open"/],
    ['sat-wed=07:30-14:30;wed-thu=closed;fri=closed', /part "wed-thu=closed": weekday "wed" is given more than once/],
    ['sat-wed=07:30-14:30;thu=closed', /no rule for fri/],
    ['sat-mon-wed=07:30-14:30;thu=closed;fri=closed', /bad weekday range "sat-mon-wed"/],
    ['=07:30-14:30', /part "=07:30-14:30": no weekday/],
  ])('rejects %j', (spec, message) => {
    expect(() => parseWeekTemplate(spec)).toThrow(message);
  });
});


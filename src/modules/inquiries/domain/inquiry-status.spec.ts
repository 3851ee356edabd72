import { canTransition, INQUIRY_TRANSITIONS, InquiryStatus as S, STATUS_INFO, TERMINAL_STATUSES } from './inquiry-status';

describe('inquiry state machine', () => {
  it.each([
    [S.Draft, S.Submitted, 'citizen', true],
    [S.Draft, S.Cancelled, 'citizen', true],
    [S.Submitted, S.Cancelled, 'citizen', true],
    [S.Submitted, S.InReview, 'staff', true],
    [S.Submitted, S.InReview, 'citizen', false],
    [S.InReview, S.Cancelled, 'citizen', false],
    [S.InReview, S.NeedsCorrection, 'staff', true],
    [S.NeedsCorrection, S.Submitted, 'citizen', true],
    [S.InReview, S.AwaitingPayment, 'system', true],
    [S.AwaitingPayment, S.VisitScheduled, 'system', true],
    [S.VisitScheduled, S.Visited, 'staff', true],
    [S.Visited, S.Answered, 'staff', true],
    [S.Draft, S.Answered, 'staff', false],
    [S.Answered, S.Rejected, 'staff', false],
  ] as const)('%s → %s by %s: %s', (from, to, by, allowed) => {
    expect(canTransition(from, to, by)).toBe(allowed);
  });

  it('has no way out of a terminal status and a title for every status', () => {
    for (const s of TERMINAL_STATUSES) expect(INQUIRY_TRANSITIONS[s]).toEqual([]);
    for (const s of Object.values(S)) expect(STATUS_INFO[s].fa).toBeTruthy();
  });

  it('reaches answered from draft', () => {
    const reachable = new Set<S>([S.Draft]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const s of [...reachable]) {
        for (const r of INQUIRY_TRANSITIONS[s]) {
          if (!reachable.has(r.to)) {
            reachable.add(r.to);
            grew = true;
          }
        }
      }
    }
    expect([...reachable].sort()).toEqual(Object.values(S).sort());
  });
});

/**
 * The inquiry state machine, shared by the citizen side (this module) and the region desks
 * (desk issue). Every change of status goes through `InquiryWorkflowService.transition`,
 * which checks this table, audits the change and returns the history entry.
 *
 * ```
 * draft ──submit──▶ submitted ──claim──▶ in_review ──▶ needs_correction ──resubmit──▶ submitted
 *                                            │
 *                                            ├──▶ awaiting_payment ──paid──▶ visit_scheduled ──▶ visited ──▶ answered
 *                                            ├──▶ visit_scheduled (notary, nothing to pay)          │
 *                                            ├──▶ answered (office, nothing to pay)                   └──▶ rejected
 *                                            └──▶ rejected
 * draft | submitted | needs_correction ──cancel (citizen, before review)──▶ cancelled
 * ```
 */
export enum InquiryStatus {
  Draft = 'draft',
  Submitted = 'submitted',
  InReview = 'in_review',
  NeedsCorrection = 'needs_correction',
  AwaitingPayment = 'awaiting_payment',
  VisitScheduled = 'visit_scheduled',
  Visited = 'visited',
  Answered = 'answered',
  Rejected = 'rejected',
  Cancelled = 'cancelled',
}

export enum InquiryType {
  Office = 'office',
  Notary = 'notary',
}

/** Who may cause a transition: the applicant, region staff, or the system (e.g. a payment settling). */
export type TransitionActor = 'citizen' | 'staff' | 'system';

export interface TransitionRule {
  to: InquiryStatus;
  by: readonly TransitionActor[];
}

const S = InquiryStatus;

export const INQUIRY_TRANSITIONS: Readonly<Record<InquiryStatus, readonly TransitionRule[]>> = {
  [S.Draft]: [
    { to: S.Submitted, by: ['citizen'] },
    // system: the drafts of an account suspended because the verified holder of its national ID registered
    { to: S.Cancelled, by: ['citizen', 'system'] },
  ],
  [S.Submitted]: [
    { to: S.InReview, by: ['staff'] },
    { to: S.Cancelled, by: ['citizen'] },
    { to: S.Rejected, by: ['staff'] },
  ],
  [S.InReview]: [
    { to: S.NeedsCorrection, by: ['staff'] },
    { to: S.AwaitingPayment, by: ['staff', 'system'] },
    { to: S.VisitScheduled, by: ['staff'] },
    { to: S.Answered, by: ['staff'] },
    { to: S.Rejected, by: ['staff'] },
  ],
  [S.NeedsCorrection]: [
    { to: S.Submitted, by: ['citizen'] },
    { to: S.Cancelled, by: ['citizen'] },
    { to: S.Rejected, by: ['staff'] },
  ],
  [S.AwaitingPayment]: [
    // payment settled: onward to the visit (notary) or back to the desk for the answer (office)
    { to: S.VisitScheduled, by: ['staff', 'system'] },
    { to: S.InReview, by: ['staff', 'system'] },
    { to: S.Answered, by: ['staff'] },
    { to: S.Rejected, by: ['staff'] },
  ],
  [S.VisitScheduled]: [
    { to: S.Visited, by: ['staff'] },
    { to: S.NeedsCorrection, by: ['staff'] },
    { to: S.Rejected, by: ['staff'] },
  ],
  [S.Visited]: [
    { to: S.AwaitingPayment, by: ['staff', 'system'] },
    { to: S.Answered, by: ['staff'] },
    { to: S.Rejected, by: ['staff'] },
  ],
  [S.Answered]: [],
  [S.Rejected]: [],
  [S.Cancelled]: [],
};

export const TERMINAL_STATUSES: readonly InquiryStatus[] = [S.Answered, S.Rejected, S.Cancelled];

/** Statuses in which the applicant may still change documents and the visit. */
export const EDITABLE_STATUSES: readonly InquiryStatus[] = [S.Draft, S.NeedsCorrection];

export function canTransition(from: InquiryStatus, to: InquiryStatus, by: TransitionActor): boolean {
  return INQUIRY_TRANSITIONS[from].some((r) => r.to === to && r.by.includes(by));
}

/** Persian title, the step number shown by tracking (1-based) and what the applicant does next. */
export const STATUS_INFO: Readonly<
  Record<InquiryStatus, { fa: string; en: string; step: number; next: { code: string; fa: string; en: string } }>
> = {
  [S.Draft]: {
    fa: 'پیش‌نویس',
    en: 'Draft',
    step: 1,
    next: { code: 'complete_request', fa: 'مدارک را بارگذاری و درخواست را ثبت کنید.', en: 'Upload the documents and submit the request.' },
  },
  [S.Submitted]: {
    fa: 'ثبت‌شده، در انتظار بررسی',
    en: 'Submitted, waiting for review',
    step: 2,
    next: { code: 'wait', fa: 'کارشناسان میز خدمت درخواست را بررسی می‌کنند.', en: 'The service desk will review the request.' },
  },
  [S.InReview]: {
    fa: 'در حال بررسی',
    en: 'In review',
    step: 3,
    next: { code: 'wait', fa: 'مدارک و وضعیت مالی پرونده در حال بررسی است.', en: 'Documents and finances are being reviewed.' },
  },
  [S.NeedsCorrection]: {
    fa: 'نیازمند اصلاح',
    en: 'Needs correction',
    step: 3,
    next: { code: 'correct_documents', fa: 'مدارک ردشده را اصلاح و دوباره ثبت کنید.', en: 'Correct the rejected documents and resubmit.' },
  },
  [S.AwaitingPayment]: {
    fa: 'در انتظار پرداخت',
    en: 'Awaiting payment',
    step: 4,
    next: { code: 'pay_debts', fa: 'بدهی پرونده را با شناسه قبض و پرداخت بپردازید.', en: 'Pay the file’s debts with the bill and payment IDs.' },
  },
  [S.VisitScheduled]: {
    fa: 'بازدید زمان‌بندی شد',
    en: 'Site visit scheduled',
    step: 5,
    next: { code: 'attend_visit', fa: 'در زمان بازدید در محل ملک حضور داشته باشید.', en: 'Be at the property at the visit time.' },
  },
  [S.Visited]: {
    fa: 'بازدید انجام شد',
    en: 'Visited',
    step: 6,
    next: { code: 'wait', fa: 'پاسخ استعلام در حال آماده‌سازی است.', en: 'The answer is being prepared.' },
  },
  [S.Answered]: {
    fa: 'پاسخ داده شد',
    en: 'Answered',
    step: 7,
    next: { code: 'get_answer', fa: 'پاسخ استعلام را دریافت کنید.', en: 'Receive the answer.' },
  },
  [S.Rejected]: {
    fa: 'رد شد',
    en: 'Rejected',
    step: 7,
    next: { code: 'none', fa: 'درخواست رد شده است؛ برای توضیح با میز خدمت منطقه تماس بگیرید.', en: 'Rejected; contact the region desk.' },
  },
  [S.Cancelled]: {
    fa: 'لغو شد',
    en: 'Cancelled',
    step: 7,
    next: { code: 'none', fa: 'درخواست لغو شده است.', en: 'The request was cancelled.' },
  },
};

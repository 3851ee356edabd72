import { Injectable } from '@nestjs/common';
import { Actor, CommonErrors, isUuid } from '@app/common';
import { formatJalali } from '@app/iran';
import { AuditEntry, AuditRecord, AuditService } from '../audit/audit.service';
import { canTransition, InquiryStatus, TransitionActor } from './domain/inquiry-status';
import { HistoryEntryDto } from './dto/inquiry.dto';
import { InquiriesErrors } from './inquiries.errors';
import { InquiryChanges, InquiryRepository, InquiryRow } from './inquiry.repository';
import { InquiryDocumentRepository } from './inquiry-document.repository';
import { type Cte, cte, type Query, withCtes } from '../../database/sql';

export type { InquiryChanges, InquiryRow } from './inquiry.repository';

export const INQUIRY_AUDIT_TARGET = 'inquiry';
export const STATUS_CHANGED = 'inquiry.status_changed';

export interface TransitionOptions {
  /** Shown to the applicant in the history (e.g. why a document was rejected). */
  reason?: string | null;
  /** Extra, non-personal facts for the audit log. */
  metadata?: Record<string, unknown>;
  /** Defaults to the request's actor. */
  actor?: Actor;
}

/**
 * Observes status changes (e.g. the integration module's webhooks): answers the queries to
 * run in the transition's transaction (enqueue a job), none when it has nothing to do.
 */
export type TransitionListener = (inquiry: Pick<InquiryRow, 'id' | 'trackingCode'>, from: InquiryStatus, to: InquiryStatus) => Query<unknown>[];

/** What `page` reads: the inquiry (locked), its uploaded document kinds, its status history. */
export interface InquiryPage {
  view: InquiryRow;
  kinds: string[];
  history: HistoryEntryDto[];
}

/**
 * The one door through which an inquiry changes, for the citizen steps, the desk,
 * cancellation and settlement alike. Every method answers queries the caller runs in its
 * own transaction (`run`, `runAll`, or the writes of `readDecideWrite`):
 *
 * ```ts
 * await em.transactional(async (tx) => {
 *   const inquiry = await run(tx, workflow.lock(id));          // select … for update
 *   assertRegionAccess(actor, inquiry.region);
 *   await runAll(tx, workflow.transition(inquiry, InquiryStatus.InReview, 'staff'));
 * });
 * ```
 * `transition` checks the state machine (`INQUIRY_STATUS_CONFLICT` otherwise) and answers the
 * UPDATE of the status, its audit entry and the listeners' queries; `history` reads the
 * changes back for the inquiry's page.
 */
@Injectable()
export class InquiryWorkflowService {
  private readonly listeners: TransitionListener[] = [];

  constructor(
    private readonly audit: AuditService,
    private readonly inquiries: InquiryRepository,
    private readonly documents: InquiryDocumentRepository,
  ) {}

  /** Registers a listener of every status change (call from a module's onModuleInit). */
  onTransition(listener: TransitionListener): void {
    this.listeners.push(listener);
  }

  /** The inquiry, row-locked until the transaction ends; NOT_FOUND for unknown or malformed ids. */
  lock(id: string): Query<InquiryRow> {
    if (!isUuid(id)) throw CommonErrors.NOT_FOUND();
    const q = this.inquiries.lock(id);
    return { ...q, read: (rows) => q.read(rows) ?? notFound() };
  }

  /**
   * The reads that open a citizen-side change (`readDecideWrite`): the inquiry, row-locked
   * until the transaction ends, then — each with its own snapshot, after the lock — its
   * document kinds and its status history. NOT_FOUND for an unknown or malformed id.
   */
  page(id: string) {
    return [this.lock(id), this.documents.kinds(id), this.history(id)] as const;
  }

  /**
   * The UPDATE of the given members of a locked inquiry (and `updatedAt`), which it applies
   * to the row as well. With `when` (a CTE of the caller's statement) it writes only when
   * that CTE has a row. Not for the status: that is `transition`.
   */
  update(inquiry: InquiryRow, changes: Omit<InquiryChanges, 'status' | 'statusChangedAt'>, when?: Cte): Query<void> {
    const set = { ...changes, updatedAt: new Date() };
    Object.assign(inquiry, set);
    return this.inquiries.update(inquiry.id, set, when);
  }

  /**
   * Moves a locked inquiry to `to` when the state machine allows it for `by`: the UPDATE of
   * the status (and `changes`), its audit entry and the listeners' queries, to run in the
   * caller's transaction. Applies the change to the row.
   */
  transition(inquiry: InquiryRow, to: InquiryStatus, by: TransitionActor, options: TransitionOptions = {}, changes: Omit<InquiryChanges, 'status' | 'statusChangedAt'> = {}): Query<unknown>[] {
    const from = inquiry.status;
    if (!canTransition(from, to, by)) throw InquiriesErrors.INQUIRY_STATUS_CONFLICT({ extensions: { status: from, requested: to } });
    const now = new Date();
    const set = { ...changes, status: to, statusChangedAt: now, updatedAt: now };
    Object.assign(inquiry, set);
    return [
      this.inquiries.update(inquiry.id, set),
      this.audit.record(transitionEntry(inquiry.id, from, to, by, options)),
      ...this.listeners.flatMap((listener) => listener(inquiry, from, to)),
    ];
  }

  /**
   * A new draft and its first history entry (null → draft) as one statement: both rows or
   * neither, with no transaction of their own.
   */
  create(draft: InquiryRow): Query<void> {
    const inserted = cte(this.inquiries.insert(draft));
    return withCtes([inserted], this.audit.record(transitionEntry(draft.id, null, draft.status, 'citizen', { metadata: { type: draft.type, region: draft.region } }), inserted));
  }

  /** The audit entry of a change that is not a status change (confirmation, a document, a visit booking, a desk step); `when`: see `AuditService.record`. */
  event(inquiry: Pick<InquiryRow, 'id' | 'status'>, action: string, metadata: Record<string, unknown> = {}, when?: Cte): Query<void> {
    return this.audit.record(eventEntry(inquiry, action, metadata), when);
  }

  /** The status changes of an inquiry, oldest first. */
  history(inquiryId: string): Query<HistoryEntryDto[]> {
    const q = this.audit.forTarget(INQUIRY_AUDIT_TARGET, inquiryId, HISTORY_LIMIT, [STATUS_CHANGED]);
    return { ...q, read: (rows) => historyEntries(q.read(rows)) };
  }
}

function notFound(): never {
  throw CommonErrors.NOT_FOUND();
}

/** The history's window; only status changes are selected (in SQL), so document and desk events do not push them out of it. */
const HISTORY_LIMIT = 500;

/** Status-change records (newest first, as read) as the inquiry page's history, oldest first. */
function historyEntries(records: AuditRecord[]): HistoryEntryDto[] {
  return records.reverse().map((r) => ({
    from: ((r.before as { status?: InquiryStatus | null } | null)?.status ?? null) as InquiryStatus | null,
    to: (r.after as { status: InquiryStatus }).status,
    at: r.at.toISOString(),
    atJalali: formatJalali(r.at, { time: true }),
    by: String((r.metadata as { by?: string } | null)?.by ?? r.actorType),
    reason: ((r.metadata as { reason?: string | null } | null)?.reason ?? null) as string | null,
  }));
}

/** The audit entry of a status change (`from` null: a new draft). */
function transitionEntry(id: string, from: InquiryStatus | null, to: InquiryStatus, by: TransitionActor, options: TransitionOptions): AuditEntry {
  return {
    action: STATUS_CHANGED,
    target: { type: INQUIRY_AUDIT_TARGET, id },
    before: { status: from },
    after: { status: to },
    metadata: { by, reason: options.reason ?? null, ...(options.metadata ?? {}) },
    actor: options.actor,
  };
}

/** The audit entry of an inquiry event that is not a status change (the inquiry's status at the time in its metadata). */
function eventEntry(inquiry: Pick<InquiryRow, 'id' | 'status'>, action: string, metadata: Record<string, unknown>): AuditEntry {
  return { action, target: { type: INQUIRY_AUDIT_TARGET, id: inquiry.id }, metadata: { status: inquiry.status, ...metadata } };
}

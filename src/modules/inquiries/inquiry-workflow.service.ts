import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Actor, CommonErrors, isUuid } from '@app/common';
import { formatJalali } from '@app/iran';
import { AuditEntry, AuditRecord, AuditService } from '../audit/audit.service';
import { canTransition, InquiryStatus, TransitionActor } from './domain/inquiry-status';
import { HistoryEntryDto } from './dto/inquiry.dto';
import { Inquiry } from './entities/inquiry.entity';
import { InquiriesErrors } from './inquiries.errors';
import { jsonValue } from '../../database/json-value';
import { type SqlStatement } from '../../database/sql-batch';
import { type Cte, cte, run, withCtes } from '../../database/sql';

type Rows = Array<Record<string, unknown>>;

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

/** An inquiry as a plain row object (same member names as the entity), for SQL-only hot paths. */
export type InquiryView = Pick<
  Inquiry,
  | 'id' | 'type' | 'status' | 'renewalCode' | 'region' | 'applicantRole' | 'principalNationalId' | 'undertakingsVersion'
  | 'organization' | 'notaryOfficeNumber' | 'snapshot' | 'confirmedAt' | 'trackingCode' | 'submittedAt' | 'reviewDueAt'
  | 'visitSlotId' | 'visitStartsAt' | 'statusChangedAt' | 'createdAt' | 'updatedAt'
> & { citizenId: string };

const VIEW_COLUMNS = `id, citizen_id, type, status, renewal_code, region, applicant_role, principal_national_id, undertakings_version,
  organization, notary_office_number, snapshot, confirmed_at, tracking_code, submitted_at, review_due_at, visit_slot_id,
  visit_starts_at, status_changed_at, created_at, updated_at`;

const date = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v)));

function toView(r: Record<string, unknown>): InquiryView {
  return {
    id: String(r.id),
    citizenId: String(r.citizen_id),
    type: r.type as Inquiry['type'],
    status: r.status as InquiryStatus,
    renewalCode: String(r.renewal_code),
    region: Number(r.region),
    applicantRole: r.applicant_role as Inquiry['applicantRole'],
    principalNationalId: (r.principal_national_id as string | null) ?? null,
    undertakingsVersion: String(r.undertakings_version),
    organization: r.organization ? jsonValue<Inquiry['organization']>(r.organization) : null,
    notaryOfficeNumber: (r.notary_office_number as string | null) ?? null,
    snapshot: jsonValue<Inquiry['snapshot']>(r.snapshot),
    confirmedAt: date(r.confirmed_at),
    trackingCode: (r.tracking_code as string | null) ?? null,
    submittedAt: date(r.submitted_at),
    reviewDueAt: date(r.review_due_at),
    visitSlotId: (r.visit_slot_id as string | null) ?? null,
    visitStartsAt: date(r.visit_starts_at),
    statusChangedAt: date(r.status_changed_at)!,
    createdAt: date(r.created_at)!,
    updatedAt: date(r.updated_at)!,
  };
}

/** Column of each InquiryView member that `updateStatement` may set. */
const SETTABLE = {
  confirmedAt: 'confirmed_at',
  trackingCode: 'tracking_code',
  submittedAt: 'submitted_at',
  reviewDueAt: 'review_due_at',
  visitSlotId: 'visit_slot_id',
  visitStartsAt: 'visit_starts_at',
  status: 'status',
  statusChangedAt: 'status_changed_at',
} as const satisfies Partial<Record<keyof InquiryView, string>>;

/**
 * Observes status changes (e.g. the integration module's webhooks): answers the statements
 * to run in the transition's transaction (enqueue a job), none when it has nothing to do.
 * Statements rather than entities, so that a transition on entities (`transition`) and one
 * written in plain SQL (`transitionStatements`) carry the same writes.
 */
export type TransitionListener = (inquiry: Pick<InquiryView, 'id' | 'trackingCode'>, from: InquiryStatus, to: InquiryStatus) => SqlStatement[];

/** Members of a locked view that `updateStatement` may set. */
export type InquiryChanges = Partial<Pick<InquiryView, keyof typeof SETTABLE>>;

/** What the reads of `pageReads` found: the inquiry (locked), its uploaded document kinds, its status history. */
export interface InquiryPage {
  view: InquiryView;
  kinds: string[];
  history: HistoryEntryDto[];
}

/**
 * The one door through which an inquiry's status changes, for this module and the desk
 * (issue 7) alike:
 *
 * ```ts
 * await em.transactional(async (tx) => {
 *   const inquiry = await workflow.lock(tx, id);              // select … for update
 *   assertRegionAccess(actor, inquiry.region);
 *   await workflow.transition(tx, inquiry, InquiryStatus.InReview, 'staff');
 * });
 * ```
 * `transition` checks the state machine (`INQUIRY_STATUS_CONFLICT` otherwise), sets the
 * status and records the change in the audit log in the same unit of work; `history` reads
 * it back for the inquiry's page. The citizen side's hot paths do the same in plain SQL in
 * two round trips (`readThenWrite`): `pageReads` locks and reads, `page` reads their rows,
 * and `transitionStatements`, `updateStatement` and `eventStatement` are the writes.
 */
@Injectable()
export class InquiryWorkflowService {
  private readonly listeners: TransitionListener[] = [];

  constructor(private readonly audit: AuditService) {}

  /** Registers a listener of every status change (call from a module's onModuleInit). */
  onTransition(listener: TransitionListener): void {
    this.listeners.push(listener);
  }

  /** The inquiry, row-locked until the transaction ends; NOT_FOUND for unknown or malformed ids. */
  async lock(tx: EntityManager, id: string): Promise<Inquiry> {
    if (!isUuid(id)) throw CommonErrors.NOT_FOUND();
    const inquiry = await tx.findOne(Inquiry, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!inquiry) throw CommonErrors.NOT_FOUND();
    return inquiry;
  }

  /**
   * The reads that open a citizen-side change (`readThenWrite`): the inquiry, row-locked until
   * the transaction ends, then — each with its own snapshot, after the lock — its document
   * kinds and its status history. NOT_FOUND for a malformed id; `page` reads the rows.
   */
  pageReads(id: string): SqlStatement[] {
    if (!isUuid(id)) throw CommonErrors.NOT_FOUND();
    return [
      { sql: `select ${VIEW_COLUMNS} from inquiry where id = ? for update`, params: [id] },
      { sql: `select kind from inquiry_document where inquiry_id = ?`, params: [id] },
      this.historyQuery(id),
    ];
  }

  /** The rows of `pageReads`, in the order read (the caller's own reads may follow them); NOT_FOUND when there is no such inquiry. */
  page([inquiry, kinds, history]: Rows[]): InquiryPage {
    if (!inquiry?.[0]) throw CommonErrors.NOT_FOUND();
    return { view: toView(inquiry[0]), kinds: kinds.map((k) => String(k.kind)), history: historyEntries(this.historyQuery(String(inquiry[0].id)).read(history)) };
  }

  /**
   * The UPDATE of the given members of a locked view (and `updatedAt`), which it applies to
   * the view as well. With `when` (a CTE of the caller's statement) it writes only when that
   * CTE has a row.
   */
  updateStatement(view: InquiryView, changes: InquiryChanges, when?: Cte): SqlStatement {
    const cols: string[] = [];
    const params: unknown[] = [];
    for (const [key, value] of Object.entries(changes) as Array<[keyof typeof SETTABLE, unknown]>) {
      const column = SETTABLE[key];
      if (!column) throw new Error(`inquiry member ${String(key)} cannot be updated here`);
      cols.push(`${column} = ?`);
      params.push(value ?? null);
    }
    const now = new Date();
    Object.assign(view, changes, { updatedAt: now });
    return {
      sql: `update inquiry set ${[...cols, 'updated_at = ?'].join(', ')} where id = ?${when ? ` and exists (select from ${when.name})` : ''}`,
      params: [...params, now, view.id],
    };
  }

  /**
   * `transition` for a locked view, as statements: checks the machine, then the UPDATE of the
   * status (and `changes`), its audit entry and the listeners' statements. Applies the change
   * to the view.
   */
  transitionStatements(view: InquiryView, to: InquiryStatus, by: TransitionActor, options: TransitionOptions = {}, changes: InquiryChanges = {}): SqlStatement[] {
    const from = view.status;
    if (!canTransition(from, to, by)) throw InquiriesErrors.INQUIRY_STATUS_CONFLICT({ extensions: { status: from, requested: to } });
    const update = this.updateStatement(view, { ...changes, status: to, statusChangedAt: new Date() });
    return [update, this.audit.record(transitionEntry(view.id, from, to, by, options)), ...this.listeners.flatMap((listener) => listener(view, from, to))];
  }

  /** Moves the inquiry to `to` when the state machine allows it for `by`; audited in `tx`'s unit of work, the listeners' statements run in `tx`. */
  async transition(tx: EntityManager, inquiry: Inquiry, to: InquiryStatus, by: TransitionActor, options: TransitionOptions = {}): Promise<void> {
    const from = inquiry.status;
    if (!canTransition(from, to, by)) {
      throw InquiriesErrors.INQUIRY_STATUS_CONFLICT({ extensions: { status: from, requested: to } });
    }
    inquiry.status = to;
    inquiry.statusChangedAt = new Date();
    await run(tx, this.audit.record(transitionEntry(inquiry.id, from, to, by, options)));
    for (const statement of this.listeners.flatMap((listener) => listener(inquiry, from, to))) await tx.execute(statement.sql, statement.params, 'run');
  }

  /**
   * A new draft and its first history entry (null → draft) as one statement: both rows or
   * neither, with no transaction of their own.
   */
  createStatement(draft: InquiryView & { propertyId: string; undertakingsAcceptedAt: Date }): SqlStatement {
    const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
    const inserted = cte({
      sql: `insert into inquiry (id, created_at, updated_at, type, status, citizen_id, property_id, renewal_code, region, applicant_role,
                                 principal_national_id, undertakings_version, undertakings_accepted_at, organization, notary_office_number,
                                 snapshot, status_changed_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?) returning id`,
      params: [draft.id, draft.createdAt, draft.updatedAt, draft.type, draft.status, draft.citizenId, draft.propertyId, draft.renewalCode, draft.region,
        draft.applicantRole, draft.principalNationalId ?? null, draft.undertakingsVersion, draft.undertakingsAcceptedAt, json(draft.organization),
        draft.notaryOfficeNumber ?? null, json(draft.snapshot), draft.statusChangedAt],
    });
    return withCtes([inserted], this.audit.record(transitionEntry(draft.id, null, draft.status, 'citizen', { metadata: { type: draft.type, region: draft.region } }), inserted));
  }

  /** Audits a change that is not a status change (confirmation, a document, a visit booking). */
  async recordEvent(tx: EntityManager, inquiry: Pick<Inquiry, 'id' | 'status'>, action: string, metadata: Record<string, unknown> = {}): Promise<void> {
    await run(tx, this.audit.record(eventEntry(inquiry, action, metadata)));
  }

  /** As `recordEvent`, as one plain INSERT for a transaction written in plain SQL (`readThenWrite`; `when`: see `AuditService.statement`). */
  eventStatement(inquiry: Pick<Inquiry, 'id' | 'status'>, action: string, metadata: Record<string, unknown> = {}, when?: Cte): SqlStatement {
    return this.audit.record(eventEntry(inquiry, action, metadata), when);
  }

  /** Status changes of an inquiry, oldest first. */
  async history(em: EntityManager, inquiryId: string): Promise<HistoryEntryDto[]> {
    return historyEntries(await run(em, this.historyQuery(inquiryId)));
  }

  /** The status changes of an inquiry, newest first, as the audit log holds them. */
  private historyQuery(inquiryId: string) {
    return this.audit.forTarget(INQUIRY_AUDIT_TARGET, inquiryId, HISTORY_LIMIT, [STATUS_CHANGED]);
  }
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
function eventEntry(inquiry: Pick<Inquiry, 'id' | 'status'>, action: string, metadata: Record<string, unknown>): AuditEntry {
  return { action, target: { type: INQUIRY_AUDIT_TARGET, id: inquiry.id }, metadata: { status: inquiry.status, ...metadata } };
}

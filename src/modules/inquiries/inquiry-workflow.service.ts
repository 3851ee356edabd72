import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Actor, CommonErrors, isUuid } from '@app/common';
import { formatJalali } from '@app/iran';
import { AuditEntry, AuditService } from '../audit/audit.service';
import { canTransition, InquiryStatus, TransitionActor } from './domain/inquiry-status';
import { HistoryEntryDto } from './dto/inquiry.dto';
import { Inquiry } from './entities/inquiry.entity';
import { InquiriesErrors } from './inquiries.errors';
import { jsonValue } from '../../database/json-value';
import type { SqlStatement } from '../../database/sql-batch';

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

/** Column of each InquiryView member that `update` may set. */
const SETTABLE: Partial<Record<keyof InquiryView, string>> = {
  confirmedAt: 'confirmed_at',
  trackingCode: 'tracking_code',
  submittedAt: 'submitted_at',
  reviewDueAt: 'review_due_at',
  visitSlotId: 'visit_slot_id',
  visitStartsAt: 'visit_starts_at',
};

/**
 * Observes status changes (e.g. the integration module's webhooks). Runs synchronously
 * inside `transition`, so it may only add to the caller's unit of work (enqueue a job).
 */
export type TransitionListener = (tx: EntityManager, inquiry: Inquiry | InquiryView, from: InquiryStatus, to: InquiryStatus) => void;

/**
 * The one door through which an inquiry's status changes, for this module and the desk
 * (issue 7) alike:
 *
 * ```ts
 * await em.transactional(async (tx) => {
 *   const inquiry = await workflow.lock(tx, id);              // select … for update
 *   assertRegionAccess(actor, inquiry.region);
 *   workflow.transition(tx, inquiry, InquiryStatus.InReview, 'staff');
 * });
 * ```
 * `transition` checks the state machine (`INQUIRY_STATUS_CONFLICT` otherwise), sets the
 * status and records the change in the audit log in the same unit of work; `history` reads
 * it back for the inquiry's page.
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

  /** Like `lock`, as a plain row (one `select … for update`, no entity): the citizen side's hot paths. */
  async lockView(tx: EntityManager, id: string): Promise<InquiryView> {
    if (!isUuid(id)) throw CommonErrors.NOT_FOUND();
    const [row] = await tx.execute<Array<Record<string, unknown>>>(`select ${VIEW_COLUMNS} from inquiry where id = ? for update`, [id]);
    if (!row) throw CommonErrors.NOT_FOUND();
    return toView(row);
  }

  /** Writes the given members of a locked view (and `updatedAt`) in one UPDATE. */
  async update(tx: EntityManager, view: InquiryView, changes: Partial<Pick<InquiryView, 'confirmedAt' | 'trackingCode' | 'submittedAt' | 'reviewDueAt' | 'visitSlotId' | 'visitStartsAt' | 'status' | 'statusChangedAt'>>): Promise<void> {
    const cols: string[] = [];
    const params: unknown[] = [];
    for (const [key, value] of Object.entries(changes) as Array<[keyof InquiryView, unknown]>) {
      const column = key === 'status' ? 'status' : key === 'statusChangedAt' ? 'status_changed_at' : SETTABLE[key];
      if (!column) throw new Error(`inquiry member ${String(key)} cannot be updated here`);
      cols.push(`${column} = ?`);
      params.push(value ?? null);
    }
    const now = new Date();
    await tx.execute(`update inquiry set ${[...cols, 'updated_at = ?'].join(', ')} where id = ?`, [...params, now, view.id], 'run');
    Object.assign(view, changes, { updatedAt: now });
  }

  /** `transition` for a locked view: checks the machine, writes status (and `changes`) in one UPDATE, audits. */
  async transitionView(
    tx: EntityManager,
    view: InquiryView,
    to: InquiryStatus,
    by: TransitionActor,
    options: TransitionOptions = {},
    changes: Parameters<InquiryWorkflowService['update']>[2] = {},
  ): Promise<void> {
    const from = view.status;
    if (!canTransition(from, to, by)) throw InquiriesErrors.INQUIRY_STATUS_CONFLICT({ extensions: { status: from, requested: to } });
    await this.update(tx, view, { ...changes, status: to, statusChangedAt: new Date() });
    this.recordTransition(tx, view.id, from, to, by, options);
    for (const listener of this.listeners) listener(tx, view, from, to);
  }

  private recordTransition(tx: EntityManager, id: string, from: InquiryStatus, to: InquiryStatus, by: TransitionActor, options: TransitionOptions): void {
    this.audit.record(tx, {
      action: STATUS_CHANGED,
      target: { type: INQUIRY_AUDIT_TARGET, id },
      before: { status: from },
      after: { status: to },
      metadata: { by, reason: options.reason ?? null, ...(options.metadata ?? {}) },
      actor: options.actor,
    });
  }

  /** Moves the inquiry to `to` when the state machine allows it for `by`; audited. */
  transition(tx: EntityManager, inquiry: Inquiry, to: InquiryStatus, by: TransitionActor, options: TransitionOptions = {}): void {
    const from = inquiry.status;
    if (!canTransition(from, to, by)) {
      throw InquiriesErrors.INQUIRY_STATUS_CONFLICT({ extensions: { status: from, requested: to } });
    }
    inquiry.status = to;
    inquiry.statusChangedAt = new Date();
    this.recordTransition(tx, inquiry.id, from, to, by, options);
    for (const listener of this.listeners) listener(tx, inquiry, from, to);
  }

  /** Records the creation of a draft as the first history entry (null → draft). */
  created(tx: EntityManager, inquiry: Inquiry): void {
    this.audit.record(tx, {
      action: STATUS_CHANGED,
      target: { type: INQUIRY_AUDIT_TARGET, id: inquiry.id },
      before: { status: null },
      after: { status: inquiry.status },
      metadata: { by: 'citizen', reason: null, type: inquiry.type, region: inquiry.region },
    });
  }

  /** Audits a change that is not a status change (confirmation, a document, a visit booking). */
  recordEvent(tx: EntityManager, inquiry: Pick<Inquiry, 'id' | 'status'>, action: string, metadata: Record<string, unknown> = {}): void {
    this.audit.record(tx, eventEntry(inquiry, action, metadata));
  }

  /** As `recordEvent`, as one plain INSERT for a transaction written in plain SQL (`readThenWrite`). */
  eventStatement(inquiry: Pick<Inquiry, 'id' | 'status'>, action: string, metadata: Record<string, unknown> = {}): SqlStatement {
    return this.audit.statement(eventEntry(inquiry, action, metadata));
  }

  /** Status changes of an inquiry, oldest first. */
  async history(em: EntityManager, inquiryId: string): Promise<HistoryEntryDto[]> {
    // only status changes, selected in SQL: document and desk events must not push them out of the window
    const rows = (await this.audit.forTarget(em, INQUIRY_AUDIT_TARGET, inquiryId, 500, [STATUS_CHANGED])).reverse();
    return rows.map((r) => ({
      from: ((r.before as { status?: InquiryStatus | null } | null)?.status ?? null) as InquiryStatus | null,
      to: (r.after as { status: InquiryStatus }).status,
      at: r.at.toISOString(),
      atJalali: formatJalali(r.at, { time: true }),
      by: String((r.metadata as { by?: string } | null)?.by ?? r.actorType),
      reason: ((r.metadata as { reason?: string | null } | null)?.reason ?? null) as string | null,
    }));
  }
}

/** The audit entry of an inquiry event that is not a status change (the inquiry's status at the time in its metadata). */
function eventEntry(inquiry: Pick<Inquiry, 'id' | 'status'>, action: string, metadata: Record<string, unknown>): AuditEntry {
  return { action, target: { type: INQUIRY_AUDIT_TARGET, id: inquiry.id }, metadata: { status: inquiry.status, ...metadata } };
}

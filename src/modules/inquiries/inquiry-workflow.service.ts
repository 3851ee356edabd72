import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Actor, CommonErrors } from '@app/common';
import { formatJalali } from '@app/iran';
import { AuditService } from '../audit/audit.service';
import { canTransition, InquiryStatus, TransitionActor } from './domain/inquiry-status';
import { HistoryEntryDto } from './dto/inquiry.dto';
import { Inquiry } from './entities/inquiry.entity';
import { InquiriesErrors } from './inquiries.errors';

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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Observes status changes (e.g. the integration module's webhooks). Runs synchronously
 * inside `transition`, so it may only add to the caller's unit of work (enqueue a job).
 */
export type TransitionListener = (tx: EntityManager, inquiry: Inquiry, from: InquiryStatus, to: InquiryStatus) => void;

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
    if (!UUID.test(id)) throw CommonErrors.NOT_FOUND();
    const inquiry = await tx.findOne(Inquiry, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!inquiry) throw CommonErrors.NOT_FOUND();
    return inquiry;
  }

  /** Moves the inquiry to `to` when the state machine allows it for `by`; audited. */
  transition(tx: EntityManager, inquiry: Inquiry, to: InquiryStatus, by: TransitionActor, options: TransitionOptions = {}): void {
    const from = inquiry.status;
    if (!canTransition(from, to, by)) {
      throw InquiriesErrors.INQUIRY_STATUS_CONFLICT({ extensions: { status: from, requested: to } });
    }
    inquiry.status = to;
    inquiry.statusChangedAt = new Date();
    this.audit.record(tx, {
      action: STATUS_CHANGED,
      target: { type: INQUIRY_AUDIT_TARGET, id: inquiry.id },
      before: { status: from },
      after: { status: to },
      metadata: { by, reason: options.reason ?? null, ...(options.metadata ?? {}) },
      actor: options.actor,
    });
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
  recordEvent(tx: EntityManager, inquiry: Inquiry, action: string, metadata: Record<string, unknown> = {}): void {
    this.recordEventFor(tx, inquiry.id, inquiry.status, action, metadata);
  }

  recordEventFor(tx: EntityManager, inquiryId: string, status: InquiryStatus, action: string, metadata: Record<string, unknown> = {}): void {
    this.audit.record(tx, { action, target: { type: INQUIRY_AUDIT_TARGET, id: inquiryId }, metadata: { status, ...metadata } });
  }

  /** Status changes of an inquiry, oldest first. */
  async history(em: EntityManager, inquiryId: string): Promise<HistoryEntryDto[]> {
    const rows = (await this.audit.forTarget(em, INQUIRY_AUDIT_TARGET, inquiryId, 200))
      .filter((r) => r.action === STATUS_CHANGED)
      .reverse();
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

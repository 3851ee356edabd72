import { Injectable } from '@nestjs/common';
import { Actor, RequestContext, uuidv7 } from '@app/common';
import type { Cte, Query } from '../../database/sql';
import { AuditRecord, AuditRepository, AuditRow } from './audit.repository';

export type { AuditRecord } from './audit.repository';

export interface AuditEntry {
  action: string;
  target?: { type: string; id: string | number | null };
  before?: object | null;
  after?: object | null;
  metadata?: Record<string, unknown>;
  /** Defaults to the request's authenticated actor, or `system` outside a request. */
  actor?: Actor;
}

const SECRET_KEYS = /password|secret|token|otp|^code$|hash/i;

/** Deep copy with secret-looking members replaced by "[redacted]". */
export function redact(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined || depth > 8) return value ?? null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = SECRET_KEYS.test(k) ? '[redacted]' : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}

/**
 * Records who did what to which record: one `record(entry)` query, run on the caller's
 * transaction (`run(tx, audit.record(...))`) so it commits or not with the change it
 * describes, or sent with the caller's own statements (`runAll`, `withCtes`); with `when`
 * it is written only when that part of the caller's statement wrote a row.
 */
@Injectable()
export class AuditService {
  constructor(private readonly repository: AuditRepository) {}

  record(entry: AuditEntry, when?: Cte): Query<void> {
    return this.repository.insert(this.fields(entry), when);
  }

  /** The newest entries about one target, optionally only of the given actions. */
  forTarget(type: string, id: string, limit = 100, actions?: string[]): Query<AuditRecord[]> {
    return this.repository.forTarget(type, id, limit, actions);
  }

  /** The columns of an entry: its actor (the request's by default), redacted contents, the request's id and IP. */
  private fields(entry: AuditEntry): AuditRow {
    const ctx = RequestContext.current();
    const actor = entry.actor ?? ctx?.actor ?? { type: 'system' as const, id: null };
    return {
      id: uuidv7(),
      at: new Date(),
      actorType: actor.type,
      actorId: actor.id,
      action: entry.action,
      targetType: entry.target?.type ?? null,
      targetId: entry.target?.id === undefined || entry.target?.id === null ? null : String(entry.target.id),
      before: (redact(entry.before) as Record<string, unknown>) ?? null,
      after: (redact(entry.after) as Record<string, unknown>) ?? null,
      metadata: (redact(entry.metadata) as Record<string, unknown>) ?? null,
      requestId: ctx?.requestId ?? null,
      ip: ctx?.ip ?? null,
    };
  }
}

import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { FieldError } from '@app/common';
import { maskMobile, maskNationalId, normalizePersianText } from '@app/iran';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { run } from '../../database/sql';
import { AuditService } from '../audit/audit.service';
import { MembershipErrors } from './membership.errors';
import { CivilRecord, IDENTITY_PROVIDER, IdentityProvider, MobileMatch } from './identity/identity-provider';

/** Why a registry is asked (recorded in the audit log). */
export type IdentityPurpose = 'registration' | 'member_retry' | 'mobile_change' | 'org_inquiry';

/** The person as entered (or as held by an account). */
export interface ClaimedIdentity {
  nationalId: string;
  /** Canonical `09xxxxxxxxx`. */
  mobile: string;
  firstName: string;
  lastName: string;
  fatherName: string;
  /** Jalali `YYYY/MM/DD`. */
  birthDate: string;
}

export interface AskContext {
  purpose: IdentityPurpose;
  /** The account concerned, when there is one (audit target). */
  citizenId?: string;
  /** The organization's API client (org inquiries). */
  clientId?: string;
}

const MAX_ENTRIES = 10_000;

/**
 * The names as compared with the civil record: Persian letter forms (ي/ی, ك/ک), digits,
 * ZWNJ and every space removed, so «محمد رضا», «محمدرضا» and «محمد‌رضا» are the same name.
 */
export function comparableName(s: string): string {
  return normalizePersianText(s).replace(/[\u200c\s]/g, '').replace(/[\u0623\u0625\u0622]/g, '\u0627');
}

/**
 * Asks the configured identity provider, caches its definite answers per (national ID,
 * mobile) and (national ID, birth date) for IDENTITY_CACHE_TTL_SECONDS, and audits every
 * question (who asked, why, the result; masked identifiers, never the registry's names).
 */
@Injectable()
export class IdentityVerificationService {
  private readonly cache = new Map<string, { until: number; value: MobileMatch | CivilRecord }>();

  constructor(
    @Inject(IDENTITY_PROVIDER) private readonly provider: IdentityProvider,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
    private readonly em: EntityManager,
    private readonly audit: AuditService,
  ) {}

  async matchMobile(nationalId: string, mobile: string, ctx: AskContext): Promise<MobileMatch> {
    return this.ask(`m:${nationalId}:${mobile}`, () => this.provider.matchMobile(nationalId, mobile), 'identity.mobile_match', ctx, {
      nationalId: maskNationalId(nationalId),
      mobile: maskMobile(mobile),
    });
  }

  async civilRecord(nationalId: string, birthDate: string, ctx: AskContext): Promise<CivilRecord> {
    return this.ask(`c:${nationalId}:${birthDate}`, () => this.provider.civilRecord(nationalId, birthDate), 'identity.civil_record', ctx, {
      nationalId: maskNationalId(nationalId),
    });
  }

  /**
   * The whole check of a claimed identity, mobile first (so only the holder of the mobile
   * learns anything about the civil record): IDENTITY_MOBILE_MISMATCH, IDENTITY_NOT_FOUND,
   * IDENTITY_RECORD_MISMATCH (naming the fields that differ, never the registry's values) or
   * IDENTITY_SERVICE_UNAVAILABLE (503 + Retry-After). Returns when the person is who they say.
   */
  async verify(person: ClaimedIdentity, ctx: AskContext): Promise<void> {
    const match = await this.matchMobile(person.nationalId, person.mobile, ctx);
    if (match.result === 'unavailable') throw this.unavailable();
    if (match.result === 'not_matched') throw mobileMismatch();
    const record = await this.civilRecord(person.nationalId, person.birthDate, ctx);
    if (record.result === 'unavailable') throw this.unavailable();
    if (record.result === 'not_found') {
      throw MembershipErrors.IDENTITY_NOT_FOUND({
        fieldErrors: [{ field: 'birthDate', code: 'IDENTITY_NOT_FOUND', message: MembershipErrors.specs.IDENTITY_NOT_FOUND.message }],
      });
    }
    const fieldErrors: FieldError[] = [];
    for (const field of ['firstName', 'lastName', 'fatherName'] as const) {
      if (comparableName(person[field]) !== comparableName(record[field])) {
        fieldErrors.push({ field, code: 'DIFFERS_FROM_CIVIL_RECORD', message: FIELD_MESSAGES[field] });
      }
    }
    if (!record.alive) {
      fieldErrors.push({
        field: 'nationalId',
        code: 'DECEASED',
        message: { fa: 'طبق ثبت احوال، صاحب این کد ملی در قید حیات نیست.', en: 'The civil registry records the holder of this national ID as deceased.' },
      });
    }
    if (fieldErrors.length) throw MembershipErrors.IDENTITY_RECORD_MISMATCH({ fieldErrors, extensions: { fields: fieldErrors.map((f) => f.field) } });
  }

  /** Forgets every cached answer (after an edit of the sandbox registry). */
  forget(): void {
    this.cache.clear();
  }

  unavailable() {
    return MembershipErrors.IDENTITY_SERVICE_UNAVAILABLE({ retryAfterSeconds: this.config.identity.retryAfterSeconds });
  }

  private async ask<T extends MobileMatch | CivilRecord>(
    key: string,
    call: () => Promise<T>,
    action: string,
    ctx: AskContext,
    subject: Record<string, string>,
  ): Promise<T> {
    const now = Date.now();
    const hit = this.cache.get(key);
    let value: T;
    let cached = false;
    if (hit && hit.until > now) {
      value = hit.value as T;
      cached = true;
    } else {
      value = await call().catch((): T => ({ result: 'unavailable', reason: 'PROVIDER_ERROR' }) as T);
      const ttl = this.config.identity.cacheTtlSeconds * 1000;
      if (value.result !== 'unavailable' && ttl > 0) {
        if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
        this.cache.set(key, { until: now + ttl, value });
      }
    }
    await run(
      this.em.fork(),
      this.audit.record({
        action,
        target: ctx.citizenId ? { type: 'citizen', id: ctx.citizenId } : { type: 'national_id', id: subject.nationalId },
        // the result only: a civil record's names never reach the log
        metadata: {
          purpose: ctx.purpose,
          provider: this.provider.name,
          result: value.result,
          ...('reason' in value && value.reason ? { reason: value.reason } : {}),
          cached,
          ...subject,
          ...(ctx.clientId ? { clientId: ctx.clientId } : {}),
        },
      }),
    );
    return value;
  }
}

export function mobileMismatch() {
  return MembershipErrors.IDENTITY_MOBILE_MISMATCH({
    fieldErrors: [{ field: 'mobile', code: 'IDENTITY_MOBILE_MISMATCH', message: MembershipErrors.specs.IDENTITY_MOBILE_MISMATCH.message }],
  });
}

const FIELD_MESSAGES = {
  firstName: { fa: 'نام با ثبت احوال یکسان نیست.', en: 'firstName differs from the civil registry.' },
  lastName: { fa: 'نام خانوادگی با ثبت احوال یکسان نیست.', en: 'lastName differs from the civil registry.' },
  fatherName: { fa: 'نام پدر با ثبت احوال یکسان نیست.', en: 'fatherName differs from the civil registry.' },
};

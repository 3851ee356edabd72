import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { fromJalali, maskMobile, parseJalaliDate } from '@app/iran';
import { NotificationsService } from '../notifications/notifications.service';
import { CommonErrors } from '@app/common';
import { AuditService } from '../audit/audit.service';
import { IssuedTokens, SessionSubject, TokenService } from './auth/token.service';
import { OtpService } from './auth/otp.service';
import { PrincipalStateService } from './auth/principal-state.service';
import {
  CitizenAccountDto,
  CitizenProfileDto,
  MobileChangedDto,
  OtpRequestedDto,
  OtpVerifiedDto,
  RegisterDto,
  RegisteredDto,
  UpdateProfileDto,
} from './dto/citizen-auth.dto';
import { Citizen } from './entities/citizen.entity';
import { OtpPurpose } from './entities/otp-challenge.entity';
import { StaffUser } from './entities/staff-user.entity';
import { IdentityVerificationService, mobileMismatch } from './identity-verification.service';
import { MembershipErrors } from './membership.errors';
import { type Query, run, runAll } from '../../database/sql';
import { type CitizenMember, CitizenRepository } from './citizen.repository';

export type { CitizenMember } from './citizen.repository';

/** The guide's membership steps: mobile → SMS code → (new number) registration → session. */
@Injectable()
export class CitizenAuthService {
  constructor(
    private readonly em: EntityManager,
    private readonly otp: OtpService,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
    private readonly citizens: CitizenRepository,
    private readonly identity: IdentityVerificationService,
    private readonly principals: PrincipalStateService,
    private readonly notifications: NotificationsService,
  ) {}

  private readonly suspendedListeners: Array<(tx: EntityManager, citizenId: string) => Promise<void>> = [];

  /**
   * Registers what must happen, in the suspending transaction, when an account is suspended
   * because the verified holder of its national ID registered (inquiries: its drafts are cancelled).
   */
  onSuspended(listener: (tx: EntityManager, citizenId: string) => Promise<void>): void {
    this.suspendedListeners.push(listener);
  }

  /** Same answer whether or not the number is a member (no account enumeration). */
  async requestCode(mobileInput: string, ip: string | undefined): Promise<OtpRequestedDto> {
    const mobile = this.otp.normalizeMobileOrThrow(mobileInput);
    const { expiresInSeconds, resendAfterSeconds } = await this.otp.issue(this.em.fork(), {
      mobile,
      purpose: OtpPurpose.CitizenLogin,
      ip,
    });
    return { expiresInSeconds, resendAfterSeconds };
  }

  async verifyCode(mobileInput: string, code: string, ip: string | undefined): Promise<OtpVerifiedDto> {
    const mobile = this.otp.normalizeMobileOrThrow(mobileInput);
    const em = this.em.fork();
    const { citizen } = await this.otp.verify(em, { mobile, purpose: OtpPurpose.CitizenLogin, code, ipLimit: this.otp.verifyIpLimit(ip) });
    if (!citizen) return { status: 'registration_required', registrationToken: this.tokens.signRegistration(mobile) };
    if (!citizen.active) throw CommonErrors.FORBIDDEN();
    const tokens = this.tokens.issue(em, { type: 'citizen', id: citizen.id, epoch: citizen.epoch });
    await run(em, this.audit.record({
      action: 'citizen.login',
      target: { type: 'citizen', id: citizen.id },
      actor: { type: 'citizen', id: citizen.id },
    }));
    await em.flush();
    return { status: 'authenticated', ...tokens };
  }

  async register(dto: RegisterDto): Promise<RegisteredDto> {
    const mobile = this.tokens.verifyRegistration(dto.registrationToken);
    const j = parseJalaliDate(dto.birthDate);
    const g = fromJalali(j.jy, j.jm, j.jd);
    const birthDate = `${g.gy}-${String(g.gm).padStart(2, '0')}-${String(g.gd).padStart(2, '0')}`;
    if (birthDate > new Date().toISOString().slice(0, 10)) {
      throw CommonErrors.VALIDATION_FAILED({
        fieldErrors: [{ field: 'birthDate', code: 'isPast', message: { fa: 'تاریخ تولد نمی‌تواند در آینده باشد.', en: 'birthDate must be in the past' } }],
      });
    }
    const birthDateJalali = `${j.jy}/${String(j.jm).padStart(2, '0')}/${String(j.jd).padStart(2, '0')}`;
    const em = this.em.fork();
    // the cheap refusals first: no registry question for a registration that cannot succeed
    await this.registrableOrSquatter(em, mobile, dto.nationalId);
    // verifies before it creates: mobile ↔ national ID (Shahkar), then names and birth date ↔ civil record
    await this.identity.verify(
      { nationalId: dto.nationalId, mobile, firstName: dto.firstName, lastName: dto.lastName, fatherName: dto.fatherName, birthDate: birthDateJalali },
      { purpose: 'registration' },
    );
    return em.transactional(async (tx) => {
      // an unverified account holding this national ID loses it to the verified claimant
      const squatter = await this.registrableOrSquatter(tx, mobile, dto.nationalId);
      if (squatter) await this.suspendSquatter(tx, squatter, mobile);
      const citizen = tx.create(Citizen, {
        mobile,
        nationalId: dto.nationalId,
        firstName: dto.firstName,
        lastName: dto.lastName,
        fatherName: dto.fatherName,
        birthDateJalali,
        birthDate,
        identityVerifiedAt: new Date(),
        identityVerifiedBy: 'registry',
      });
      tx.persist(citizen);
      await run(tx, this.audit.record({
        action: 'citizen.registered',
        target: { type: 'citizen', id: citizen.id },
        actor: { type: 'citizen', id: citizen.id },
      }));
      const tokens: IssuedTokens = this.tokens.issue(tx, { type: 'citizen', id: citizen.id, epoch: citizen.tokenEpoch });
      return { ...tokens, profile: toProfile(citizen) };
    });
  }

  /**
   * MOBILE_ALREADY_REGISTERED, or NATIONAL_ID_ALREADY_REGISTERED (with the desk path in its
   * message) when a verified account holds the national ID; the unverified account holding
   * it, if any (the claimant wins once verified).
   */
  private async registrableOrSquatter(em: EntityManager, mobile: string, nationalId: string): Promise<Citizen | null> {
    if (await em.count(Citizen, { mobile })) throw MembershipErrors.MOBILE_ALREADY_REGISTERED();
    const holder = await em.findOne(Citizen, { nationalId });
    if (holder?.identityVerifiedAt) {
      throw MembershipErrors.NATIONAL_ID_ALREADY_REGISTERED({
        fieldErrors: [{ field: 'nationalId', code: 'unique', message: MembershipErrors.specs.NATIONAL_ID_ALREADY_REGISTERED.message }],
      });
    }
    return holder;
  }

  /**
   * Account squatting resolved: the unverified account that held the national ID is suspended
   * (inactive, its sessions and access tokens ended, its national ID released as
   * `suspended:<id>` — the audit entry keeps the original), its drafts cancelled by the
   * listeners, its mobile told by SMS. All in the claimant's registration transaction.
   */
  private async suspendSquatter(tx: EntityManager, squatter: Citizen, claimantMobile: string): Promise<void> {
    const before = toAccount(squatter);
    await this.tokens.revokeSubject(tx, 'citizen', squatter.id, 'national_id_claimed');
    squatter.active = false;
    squatter.nationalId = `suspended:${squatter.id}`;
    // the national ID is free before the claimant's row is inserted
    await tx.flush();
    for (const listener of this.suspendedListeners) await listener(tx, squatter.id);
    await runAll(tx, this.notifications.queueSms({ mobile: squatter.mobile, template: 'account_suspended_identity', params: {} }).queries);
    await run(tx, this.audit.record({
      action: 'citizen.suspended.national_id_claimed',
      target: { type: 'citizen', id: squatter.id },
      before,
      after: toAccount(squatter),
      metadata: { claimantMobile: maskMobile(claimantMobile) },
    }));
    this.principals.forget('citizen', squatter.id);
  }

  async refresh(refreshToken: string): Promise<IssuedTokens> {
    return this.tokens.rotate(this.em.fork(), refreshToken, loadSessionSubject);
  }

  async logout(refreshToken: string): Promise<void> {
    await this.tokens.revoke(this.em.fork(), refreshToken);
  }

  async profile(citizenId: string): Promise<CitizenProfileDto> {
    const citizen = await this.em.findOne(Citizen, { id: citizenId, active: true });
    if (!citizen) throw CommonErrors.UNAUTHENTICATED();
    return toProfile(citizen);
  }

  /**
   * A member for the records about them (an inquiry's applicant, the SMS about their request),
   * deactivated members included: a query the caller runs on its entity manager, inside its
   * transaction when it has one (`run(tx, citizens.member(id))`), or sends with its own reads
   * in one round trip (`runAll`, `readDecideWrite`). Null when there is no such citizen; a
   * caller acting for the member passes the answer through `activeMember`.
   */
  member(citizenId: string): Query<CitizenMember | null> {
    const q = this.citizens.member(citizenId);
    return { ...q, read: (rows) => q.read(rows) ?? null };
  }

  /** Admin: the member with this mobile number or national ID (exactly one of them). */
  async findAccount(query: { mobile?: string; nationalId?: string }): Promise<CitizenAccountDto> {
    if (!query.mobile === !query.nationalId) {
      throw CommonErrors.VALIDATION_FAILED({
        fieldErrors: [{ field: 'mobile', code: 'oneOf', message: { fa: 'یکی از شماره همراه یا کد ملی را بدهید.', en: 'Give either mobile or nationalId.' } }],
      });
    }
    const where = query.mobile ? { mobile: this.otp.normalizeMobileOrThrow(query.mobile) } : { nationalId: query.nationalId! };
    const citizen = await this.em.fork().findOne(Citizen, where);
    if (!citizen) throw MembershipErrors.CITIZEN_NOT_FOUND();
    return toAccount(citizen);
  }

  /** Admin: deactivates or reactivates a member. Deactivating ends its sessions and access tokens at once. Audited. */
  async setActive(citizenId: string, active: boolean): Promise<CitizenAccountDto> {
    return this.em.fork().transactional(async (tx) => {
      const citizen = /^[0-9a-f-]{36}$/i.test(citizenId) ? await tx.findOne(Citizen, { id: citizenId }) : null;
      if (!citizen) throw MembershipErrors.CITIZEN_NOT_FOUND();
      const before = toAccount(citizen);
      if (citizen.active && !active) await this.tokens.revokeSubject(tx, 'citizen', citizen.id, 'account_deactivated');
      citizen.active = active;
      await run(tx, this.audit.record({ action: 'citizen.account.updated', target: { type: 'citizen', id: citizen.id }, before, after: toAccount(citizen) }));
      return toAccount(citizen);
    });
  }

  /**
   * Retries the registry check of a member registered before verification existed (or whose
   * check failed): the account's mobile and national ID against the mobile-ownership registry,
   * its names and birth date against the civil record. Already verified: answered as is.
   */
  async verifyIdentity(citizenId: string): Promise<CitizenProfileDto> {
    const em = this.em.fork();
    const citizen = await em.findOne(Citizen, { id: citizenId, active: true });
    if (!citizen) throw CommonErrors.UNAUTHENTICATED();
    if (citizen.identityVerifiedAt) return toProfile(citizen);
    await this.identity.verify(
      { nationalId: citizen.nationalId, mobile: citizen.mobile, firstName: citizen.firstName, lastName: citizen.lastName, fatherName: citizen.fatherName, birthDate: citizen.birthDateJalali },
      { purpose: 'member_retry', citizenId },
    );
    return this.markVerified(citizenId, 'registry', {});
  }

  /** Sets the member's identity verified (audited) and makes it count at once in this process. */
  async markVerified(citizenId: string, method: 'registry' | 'desk', metadata: Record<string, unknown>, em: EntityManager = this.em.fork()): Promise<CitizenProfileDto> {
    const profile = await em.transactional(async (tx) => {
      const citizen = await tx.findOne(Citizen, { id: citizenId });
      if (!citizen) throw MembershipErrors.CITIZEN_NOT_FOUND();
      if (!citizen.identityVerifiedAt) {
        citizen.identityVerifiedAt = new Date();
        citizen.identityVerifiedBy = method;
        await run(tx, this.audit.record({ action: 'citizen.identity.verified', target: { type: 'citizen', id: citizen.id }, metadata: { method, ...metadata } }));
      }
      return toProfile(citizen);
    });
    this.principals.forget('citizen', citizenId);
    return profile;
  }

  /**
   * Step 1 of a mobile change: the new number must be registered to the member's national ID
   * in the mobile-ownership registry (IDENTITY_MOBILE_MISMATCH; IDENTITY_SERVICE_UNAVAILABLE,
   * 503) before anything is sent; then a code goes to the new number under the login code's
   * limits (cooldown, hourly caps per number and per client IP), counted apart from them.
   */
  async requestMobileChange(citizenId: string, mobileInput: string, ip: string | undefined): Promise<OtpRequestedDto> {
    const mobile = this.otp.normalizeMobileOrThrow(mobileInput);
    const em = this.em.fork();
    const citizen = await this.changeableMember(em, citizenId, mobile);
    await this.assertMobileMatches(citizen, mobile);
    const { expiresInSeconds, resendAfterSeconds } = await this.otp.issue(em, { mobile, purpose: OtpPurpose.MobileChange, ip });
    return { expiresInSeconds, resendAfterSeconds };
  }

  /**
   * Step 2: the code sent to the new number (OTP_INVALID / OTP_LOCKED / OTP_EXPIRED as at
   * login), the registry asked again for this member (a code is bound to the number, the
   * registry answer to the national ID), the number still free (MOBILE_ALREADY_REGISTERED).
   * Then, in one transaction: every session and access token of the account ends, the mobile
   * is replaced, the old number is told by SMS, the change is audited (masked numbers), and
   * the caller gets a fresh token pair.
   */
  async confirmMobileChange(citizenId: string, mobileInput: string, code: string, ip: string | undefined): Promise<MobileChangedDto> {
    const mobile = this.otp.normalizeMobileOrThrow(mobileInput);
    const em = this.em.fork();
    const current = await this.changeableMember(em, citizenId, mobile);
    await this.otp.verify(em, { mobile, purpose: OtpPurpose.MobileChange, code, ipLimit: this.otp.verifyIpLimit(ip) });
    await this.assertMobileMatches(current, mobile);
    const result = await em.transactional(async (tx) => {
      const citizen = await tx.findOne(Citizen, { id: citizenId, active: true }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!citizen) throw CommonErrors.UNAUTHENTICATED();
      if (await tx.count(Citizen, { mobile, id: { $ne: citizenId } })) throw MembershipErrors.MOBILE_ALREADY_REGISTERED();
      const oldMobile = citizen.mobile;
      await this.tokens.revokeSubject(tx, 'citizen', citizen.id, 'mobile_changed');
      // the epoch the revocation bumped
      await tx.refresh(citizen, { lockMode: LockMode.PESSIMISTIC_WRITE });
      citizen.mobile = mobile;
      await tx.flush();
      await runAll(tx, this.notifications.queueSms({ mobile: oldMobile, template: 'mobile_changed', params: { newMobile: maskMobile(mobile) } }).queries);
      await run(tx, this.audit.record({
        action: 'citizen.mobile.changed',
        target: { type: 'citizen', id: citizen.id },
        actor: { type: 'citizen', id: citizen.id },
        metadata: { from: maskMobile(oldMobile), to: maskMobile(mobile), method: 'otp_registry' },
      }));
      const tokens: IssuedTokens = this.tokens.issue(tx, { type: 'citizen', id: citizen.id, epoch: citizen.tokenEpoch });
      return { ...tokens, profile: toProfile(citizen) };
    });
    this.principals.forget('citizen', citizenId);
    return result;
  }

  /** The signed-in, verified member who may move to `mobile` (not their number today, not another member's). */
  private async changeableMember(em: EntityManager, citizenId: string, mobile: string): Promise<Citizen> {
    const citizen = await em.findOne(Citizen, { id: citizenId, active: true });
    if (!citizen) throw CommonErrors.UNAUTHENTICATED();
    if (!citizen.identityVerifiedAt) {
      throw MembershipErrors.IDENTITY_NOT_VERIFIED({ extensions: { verify: { retry: 'POST /api/v1/me/identity/verify', desk: 'a region service desk, with the national ID card' } } });
    }
    if (citizen.mobile === mobile) {
      throw MembershipErrors.MOBILE_UNCHANGED({ fieldErrors: [{ field: 'mobile', code: 'MOBILE_UNCHANGED', message: MembershipErrors.specs.MOBILE_UNCHANGED.message }] });
    }
    if (await em.count(Citizen, { mobile })) throw MembershipErrors.MOBILE_ALREADY_REGISTERED();
    return citizen;
  }

  private async assertMobileMatches(citizen: Citizen, mobile: string): Promise<void> {
    const match = await this.identity.matchMobile(citizen.nationalId, mobile, { purpose: 'mobile_change', citizenId: citizen.id });
    if (match.result === 'unavailable') throw this.identity.unavailable();
    if (match.result === 'not_matched') throw mobileMismatch();
  }

  async updateProfile(citizenId: string, dto: UpdateProfileDto): Promise<CitizenProfileDto> {
    if (dto.mobile !== undefined) {
      throw MembershipErrors.MOBILE_CHANGE_NOT_HERE({
        fieldErrors: [{ field: 'mobile', code: 'MOBILE_CHANGE_NOT_HERE', message: MembershipErrors.specs.MOBILE_CHANGE_NOT_HERE.message }],
        extensions: { next: ['POST /api/v1/me/mobile', 'POST /api/v1/me/mobile/confirm'] },
      });
    }
    return this.em.fork().transactional(async (tx) => {
      const citizen = await tx.findOne(Citizen, { id: citizenId, active: true });
      if (!citizen) throw CommonErrors.UNAUTHENTICATED();
      const before = toProfile(citizen);
      tx.assign(citizen, Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)));
      await run(tx, this.audit.record({ action: 'citizen.profile.updated', target: { type: 'citizen', id: citizen.id }, before, after: toProfile(citizen) }));
      return toProfile(citizen);
    });
  }
}

/** The member `member` read, when they may act: UNAUTHENTICATED when the account is gone or deactivated (as `profile`). */
export function activeMember(member: CitizenMember | null): CitizenMember {
  if (!member?.active) throw CommonErrors.UNAUTHENTICATED();
  return member;
}

/** Re-reads the account behind a refresh token; null when it may no longer sign in. */
export async function loadSessionSubject(type: 'citizen' | 'staff', id: string, em: EntityManager): Promise<SessionSubject | null> {
  if (type === 'citizen') {
    const c = await em.findOne(Citizen, { id, active: true });
    return c ? { type, id, epoch: c.tokenEpoch } : null;
  }
  const s = await em.findOne(StaffUser, { id, active: true });
  return s ? { type, id, epoch: s.tokenEpoch, roles: s.roles, regions: s.regions } : null;
}

function toAccount(c: Citizen): CitizenAccountDto {
  return { ...toProfile(c), active: c.active };
}

function toProfile(c: Citizen): CitizenProfileDto {
  return {
    id: c.id,
    mobile: c.mobile,
    nationalId: c.nationalId,
    firstName: c.firstName,
    lastName: c.lastName,
    fatherName: c.fatherName,
    birthDate: c.birthDateJalali,
    email: c.email ?? null,
    createdAt: c.createdAt.toISOString(),
    identity: {
      verified: !!c.identityVerifiedAt,
      verifiedAt: c.identityVerifiedAt ? c.identityVerifiedAt.toISOString() : null,
      method: c.identityVerifiedAt ? (c.identityVerifiedBy ?? null) : null,
      nextStep: c.identityVerifiedAt ? null : 'verify',
    },
  };
}

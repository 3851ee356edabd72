import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { fromJalali, parseJalaliDate } from '@app/iran';
import { CommonErrors } from '@app/common';
import { AuditService } from '../audit/audit.service';
import { IssuedTokens, SessionSubject, TokenService } from './auth/token.service';
import { OtpService } from './auth/otp.service';
import {
  CitizenAccountDto,
  CitizenProfileDto,
  OtpRequestedDto,
  OtpVerifiedDto,
  RegisterDto,
  RegisteredDto,
  UpdateProfileDto,
} from './dto/citizen-auth.dto';
import { Citizen } from './entities/citizen.entity';
import { OtpPurpose } from './entities/otp-challenge.entity';
import { StaffUser } from './entities/staff-user.entity';
import { MembershipErrors } from './membership.errors';
import { type Query, run } from '../../database/sql';
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
  ) {}

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
    const em = this.em.fork();
    return em.transactional(async (tx) => {
      if (await tx.count(Citizen, { mobile })) throw MembershipErrors.MOBILE_ALREADY_REGISTERED();
      if (await tx.count(Citizen, { nationalId: dto.nationalId })) {
        throw MembershipErrors.NATIONAL_ID_ALREADY_REGISTERED({
          fieldErrors: [{ field: 'nationalId', code: 'unique', message: MembershipErrors.specs.NATIONAL_ID_ALREADY_REGISTERED.message }],
        });
      }
      const citizen = tx.create(Citizen, {
        mobile,
        nationalId: dto.nationalId,
        firstName: dto.firstName,
        lastName: dto.lastName,
        fatherName: dto.fatherName,
        birthDateJalali: `${j.jy}/${String(j.jm).padStart(2, '0')}/${String(j.jd).padStart(2, '0')}`,
        birthDate,
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

  async updateProfile(citizenId: string, dto: UpdateProfileDto): Promise<CitizenProfileDto> {
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
  };
}

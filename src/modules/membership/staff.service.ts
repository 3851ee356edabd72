import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { pageMeta, pageOffset, PageQuery } from '@app/common';
import { maskMobile, normalizeMobile } from '@app/iran';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { AuditService } from '../audit/audit.service';
import { OtpService } from './auth/otp.service';
import { StaffLoginThrottle } from './auth/staff-login-throttle';
import { dummyPasswordHash, hashPassword, verifyPassword } from './auth/password';
import { TokenService } from './auth/token.service';
import { CreateStaffDto, StaffDto, StaffLoginResultDto, StaffPageDto, UpdateStaffDto } from './dto/staff-login.dto';
import { OtpPurpose } from './entities/otp-challenge.entity';
import { StaffRole, StaffUser } from './entities/staff-user.entity';
import { MembershipErrors } from './membership.errors';
import { run, runPage } from '../../database/sql';
import { StaffRepository } from './staff.repository';

export type CreateStaffInput = CreateStaffDto;

@Injectable()
export class StaffService {
  constructor(
    private readonly em: EntityManager,
    private readonly tokens: TokenService,
    private readonly otp: OtpService,
    private readonly throttle: StaffLoginThrottle,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
    private readonly staffList: StaffRepository,
  ) {}

  async create(input: CreateStaffInput, em: EntityManager = this.em.fork()): Promise<StaffUser> {
    const username = input.username.toLowerCase();
    const regions = this.checkRegions(input.roles, input.regions ?? []);
    const mobile = input.mobile ? normalizeMobile(input.mobile) : null;
    if (input.mobile && !mobile) throw MembershipErrors.MOBILE_INVALID();
    if (!mobile && this.needsSecondFactor({ roles: input.roles })) throw MembershipErrors.STAFF_MOBILE_REQUIRED();
    if (await em.count(StaffUser, { username })) throw MembershipErrors.STAFF_USERNAME_TAKEN();
    const staff = em.create(StaffUser, {
      username,
      passwordHash: await hashPassword(input.password),
      fullName: input.fullName,
      roles: input.roles,
      regions,
      mobile,
    });
    await run(em, this.audit.record({
      action: 'staff.created',
      target: { type: 'staff_user', id: staff.id },
      after: { username, roles: staff.roles, regions: staff.regions, mobile: mobile ? maskMobile(mobile) : null },
    }));
    await em.flush();
    return staff;
  }

  async list(q: PageQuery): Promise<StaffPageDto> {
    const { limit, offset } = pageOffset(q);
    const page = await runPage(this.em, (l, o) => this.staffList.page(l, o), limit, offset);
    return { items: page.items.map(toStaffDto), meta: pageMeta(q, page.total) };
  }

  async get(id: string): Promise<StaffDto> {
    return toStaffDto(await this.findOrThrow(this.em, id));
  }

  async update(id: string, dto: UpdateStaffDto): Promise<StaffDto> {
    return this.em.fork().transactional(async (tx) => {
      const staff = await this.findOrThrow(tx, id);
      const before = toStaffDto(staff);
      const roles = dto.roles ?? staff.roles;
      const regions = this.checkRegions(roles, dto.regions ?? staff.regions);
      if (dto.fullName !== undefined) staff.fullName = dto.fullName;
      if (dto.mobile !== undefined) staff.mobile = normalizeMobile(dto.mobile);
      if (!staff.mobile && this.needsSecondFactor({ roles })) throw MembershipErrors.STAFF_MOBILE_REQUIRED();
      staff.roles = roles;
      staff.regions = regions;
      let endSessions = false;
      if (dto.active !== undefined && dto.active !== staff.active) {
        staff.active = dto.active;
        endSessions ||= !dto.active;
      }
      if (dto.password !== undefined) {
        staff.passwordHash = await hashPassword(dto.password);
        endSessions = true;
      }
      if (JSON.stringify(before.roles) !== JSON.stringify(staff.roles) || JSON.stringify(before.regions) !== JSON.stringify(staff.regions)) {
        endSessions = true; // tokens carry roles and regions: make the change effective at once
      }
      // refresh tokens revoked and the token epoch bumped: access tokens are refused at once
      if (endSessions) await this.tokens.revokeSubject(tx, 'staff', staff.id, 'account_changed');
      await run(tx, this.audit.record({
        action: dto.roles || dto.regions ? 'staff.roles.changed' : 'staff.updated',
        target: { type: 'staff_user', id: staff.id },
        before,
        after: { ...toStaffDto(staff), passwordChanged: dto.password !== undefined },
      }));
      return toStaffDto(staff);
    });
  }

  /**
   * Username + password. Roles that change money or answers (STAFF_2FA_ROLES) then get an
   * SMS code (`second_factor_required`); others receive tokens at once. Attempts are
   * throttled per username and per (username, client IP) with growing waits, never locked
   * (StaffLoginThrottle). An unknown username, a disabled account and a wrong password get
   * the same answer after the same work (a password hash is always checked), and the
   * throttle treats every username alike, so answers tell nothing about which names exist.
   */
  async login(usernameInput: string, password: string, ip?: string): Promise<StaffLoginResultDto> {
    const em = this.em.fork();
    const username = usernameInput.toLowerCase();
    await this.throttle.attempt(em, username, ip).catch(async (err: { code?: string }) => {
      if (err.code === 'STAFF_LOGIN_THROTTLED') await run(em, this.audit.record({ action: 'staff.login.throttled', metadata: { username } }));
      throw err;
    });
    const staff = await em.findOne(StaffUser, { username });
    const passwordOk = await verifyPassword(password, staff?.passwordHash ?? (await dummyPasswordHash()));
    if (!staff || !staff.active || !passwordOk) {
      const reason = !staff ? 'unknown_user' : !staff.active ? 'disabled' : 'bad_password';
      await run(em, this.audit.record({
        action: 'staff.login.failed',
        ...(staff ? { target: { type: 'staff_user', id: staff.id } } : {}),
        metadata: staff ? { reason } : { username, reason },
      }));
      throw MembershipErrors.STAFF_LOGIN_FAILED();
    }
    await this.throttle.succeeded(em, username, ip);
    if (this.needsSecondFactor(staff)) {
      if (!staff.mobile) throw MembershipErrors.STAFF_MOBILE_REQUIRED();
      await run(em, this.audit.record({ action: 'staff.login.password_ok', target: { type: 'staff_user', id: staff.id } }));
      await em.flush();
      const challenge = await this.otp.issue(em, {
        mobile: staff.mobile,
        purpose: OtpPurpose.StaffSecondFactor,
        staffUserId: staff.id,
      });
      return {
        status: 'second_factor_required',
        challengeId: challenge.challengeId,
        sentTo: maskMobile(staff.mobile),
        expiresInSeconds: challenge.expiresInSeconds,
      };
    }
    return this.completeLogin(em, staff);
  }

  /** Second step for roles with a second factor: the SMS code of the login challenge. */
  async verifySecondFactor(challengeId: string, code: string): Promise<StaffLoginResultDto> {
    const em = this.em.fork();
    const challenge = await this.otp
      .verify(em, { challengeId, purpose: OtpPurpose.StaffSecondFactor, code })
      .catch(async (err: { code?: string }) => {
        if (err.code === 'OTP_INVALID' || err.code === 'OTP_LOCKED') {
          await run(em.fork(), this.audit.record({ action: 'staff.login.second_factor_failed', metadata: { challengeId } }));
        }
        throw err.code === 'OTP_EXPIRED' ? MembershipErrors.CHALLENGE_NOT_FOUND() : err;
      });
    const staff = await em.findOne(StaffUser, { id: challenge.staffUserId!, active: true });
    if (!staff) throw MembershipErrors.CHALLENGE_NOT_FOUND();
    return this.completeLogin(em, staff);
  }

  private async completeLogin(em: EntityManager, staff: StaffUser): Promise<StaffLoginResultDto> {
    staff.lastLoginAt = new Date();
    const tokens = this.tokens.issue(em, { type: 'staff', id: staff.id, epoch: staff.tokenEpoch, roles: staff.roles, regions: staff.regions });
    await run(em, this.audit.record({
      action: 'staff.login.succeeded',
      target: { type: 'staff_user', id: staff.id },
      actor: { type: 'staff', id: staff.id },
    }));
    await em.flush();
    return { status: 'authenticated', ...tokens, roles: staff.roles, regions: staff.regions };
  }

  private needsSecondFactor(staff: Pick<StaffUser, 'roles'>): boolean {
    return staff.roles.some((r) => this.config.auth.staff2faRoles.includes(r));
  }

  private checkRegions(roles: StaffRole[], regions: number[]): number[] {
    if (roles.length === 0) throw MembershipErrors.STAFF_REGIONS_INVALID();
    if (roles.includes(StaffRole.Admin) && roles.length === 1) return [];
    const unique = [...new Set(regions)].sort();
    if (unique.length === 0 || unique.some((r) => ![1, 2, 3].includes(r))) throw MembershipErrors.STAFF_REGIONS_INVALID();
    return unique;
  }

  private async findOrThrow(em: EntityManager, id: string): Promise<StaffUser> {
    const staff = /^[0-9a-f-]{36}$/i.test(id) ? await em.findOne(StaffUser, { id }) : null;
    if (!staff) throw MembershipErrors.STAFF_NOT_FOUND();
    return staff;
  }
}

export function toStaffDto(s: Pick<StaffUser, 'id' | 'username' | 'fullName' | 'mobile' | 'roles' | 'regions' | 'active' | 'lastLoginAt' | 'createdAt'>): StaffDto {
  return {
    id: s.id,
    username: s.username,
    fullName: s.fullName,
    mobile: s.mobile ? maskMobile(s.mobile) : null,
    roles: s.roles,
    regions: s.regions,
    active: s.active,
    lastLoginAt: s.lastLoginAt?.toISOString() ?? null,
    createdAt: s.createdAt.toISOString(),
  };
}

import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { AuditService } from '../audit/audit.service';
import { dummyPasswordHash, hashPassword, verifyPassword } from './auth/password';
import { AccessTokenClaims } from './auth/token.types';
import { JWT_ISSUER } from './auth/jwt.strategy';
import { StaffTokenDto } from './dto/staff-login.dto';
import { StaffRole, StaffUser } from './entities/staff-user.entity';
import { MembershipErrors } from './membership.errors';

const MAX_FAILED_LOGINS = 5;
const LOCK_MINUTES = 15;

export interface CreateStaffInput {
  username: string;
  password: string;
  fullName: string;
  roles: StaffRole[];
  regions?: number[];
  mobile?: string | null;
}

@Injectable()
export class StaffService {
  constructor(
    private readonly em: EntityManager,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  async create(input: CreateStaffInput, em: EntityManager = this.em): Promise<StaffUser> {
    const username = input.username.toLowerCase();
    if (await em.count(StaffUser, { username })) throw MembershipErrors.STAFF_USERNAME_TAKEN();
    const staff = em.create(StaffUser, {
      username,
      passwordHash: await hashPassword(input.password),
      fullName: input.fullName,
      roles: input.roles,
      regions: input.roles.includes(StaffRole.Admin) ? [] : [...new Set(input.regions ?? [])].sort(),
      mobile: input.mobile ?? null,
    });
    this.audit.record(em, {
      action: 'staff.created',
      target: { type: 'staff_user', id: staff.id },
      after: { username, roles: staff.roles, regions: staff.regions },
    });
    await em.flush();
    return staff;
  }

  /** Username + password; locks the account for 15 minutes after 5 failures in a row. */
  async login(usernameInput: string, password: string): Promise<StaffTokenDto> {
    const em = this.em.fork();
    const username = usernameInput.toLowerCase();
    const staff = await em.findOne(StaffUser, { username });
    if (!staff) {
      await verifyPassword(password, await dummyPasswordHash());
      await this.audit.recordNow(em, { action: 'staff.login.failed', metadata: { username, reason: 'unknown_user' } });
      throw MembershipErrors.STAFF_LOGIN_FAILED();
    }
    const now = new Date();
    if (staff.lockedUntil && staff.lockedUntil > now) {
      await this.audit.recordNow(em, {
        action: 'staff.login.locked',
        target: { type: 'staff_user', id: staff.id },
      });
      throw MembershipErrors.STAFF_ACCOUNT_LOCKED({
        retryAfterSeconds: Math.ceil((staff.lockedUntil.getTime() - now.getTime()) / 1000),
      });
    }
    const ok = staff.active && (await verifyPassword(password, staff.passwordHash));
    if (!ok) {
      staff.failedLogins += 1;
      const locked = staff.failedLogins >= MAX_FAILED_LOGINS;
      if (locked) {
        staff.lockedUntil = new Date(now.getTime() + LOCK_MINUTES * 60_000);
        staff.failedLogins = 0;
      }
      this.audit.record(em, {
        action: locked ? 'staff.login.lockout' : 'staff.login.failed',
        target: { type: 'staff_user', id: staff.id },
        metadata: { reason: staff.active ? 'bad_password' : 'disabled' },
      });
      await em.flush();
      throw MembershipErrors.STAFF_LOGIN_FAILED();
    }
    staff.failedLogins = 0;
    staff.lockedUntil = null;
    staff.lastLoginAt = now;
    this.audit.record(em, {
      action: 'staff.login.succeeded',
      target: { type: 'staff_user', id: staff.id },
      actor: { type: 'staff', id: staff.id },
    });
    await em.flush();
    return this.issueToken(staff);
  }

  private issueToken(staff: StaffUser): StaffTokenDto {
    const claims: AccessTokenClaims = { sub: staff.id, typ: 'staff', roles: staff.roles, regions: staff.regions };
    const expiresIn = this.config.auth.accessTokenTtlSeconds;
    const accessToken = this.jwt.sign(claims, { expiresIn, issuer: JWT_ISSUER, algorithm: 'HS256' });
    return { accessToken, tokenType: 'Bearer', expiresIn, roles: staff.roles, regions: staff.regions };
  }
}

import { LockMode, raw } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHash, randomBytes } from 'node:crypto';
import { uuidv7 } from '@app/common';
import { APP_CONFIG } from '../../../config/config.module';
import type { ResolvedConfig } from '../../../config/app-config';
import { AuditService } from '../../audit/audit.service';
import { Citizen } from '../entities/citizen.entity';
import { RefreshToken } from '../entities/refresh-token.entity';
import { StaffUser } from '../entities/staff-user.entity';
import { MembershipErrors } from '../membership.errors';
import { JWT_ISSUER } from './jwt.strategy';
import { AccessTokenClaims } from './token.types';
import { run } from '../../../database/sql';

export interface IssuedTokens {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
}

/** Whose session: `epoch` is the account's current token epoch (carried in its access tokens). */
export type SessionSubject = { type: 'citizen' | 'staff'; id: string; epoch: number; roles?: string[]; regions?: number[] };

const REGISTRATION_AUDIENCE = 'registration';

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * Access tokens (short-lived JWT carrying the account's token epoch) and rotating refresh
 * tokens (random, stored hashed, grouped in families: reusing a rotated token revokes its
 * whole family). Logout, reuse and account changes also bump the account's epoch, which
 * ends its access tokens at once (PrincipalStateService); other sessions of the account
 * continue after a refresh.
 */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  signAccess(claims: AccessTokenClaims, ttlSeconds = this.config.auth.accessTokenTtlSeconds): string {
    return this.jwt.sign(claims, { expiresIn: ttlSeconds, issuer: JWT_ISSUER, algorithm: 'HS256' });
  }

  /** Starts a session (new family) or continues one; the caller flushes `em`. */
  issue(em: EntityManager, subject: SessionSubject, family: string = uuidv7()): IssuedTokens {
    const refreshToken = `rt_${randomBytes(32).toString('base64url')}`;
    em.persist(
      em.create(RefreshToken, {
        tokenHash: sha256(refreshToken),
        family,
        subjectType: subject.type,
        subjectId: subject.id,
        expiresAt: new Date(Date.now() + this.config.auth.refreshTokenTtlDays * 86_400_000),
      }),
    );
    const claims: AccessTokenClaims = { sub: subject.id, typ: subject.type, ep: subject.epoch };
    if (subject.type === 'staff') {
      claims.roles = subject.roles ?? [];
      claims.regions = subject.regions ?? [];
    }
    return {
      accessToken: this.signAccess(claims),
      tokenType: 'Bearer',
      expiresIn: this.config.auth.accessTokenTtlSeconds,
      refreshToken,
    };
  }

  /**
   * Exchanges a refresh token for a new pair. `loadSubject` re-reads the account (it may
   * have been disabled or its roles changed) and returns null when it may not continue.
   */
  async rotate(
    em: EntityManager,
    presented: string,
    loadSubject: (type: 'citizen' | 'staff', id: string, em: EntityManager) => Promise<SessionSubject | null>,
  ): Promise<IssuedTokens> {
    const outcome = await em.transactional(async (tx) => {
      const token = await tx.findOne(RefreshToken, { tokenHash: sha256(presented) }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!token || token.revokedAt || token.expiresAt <= new Date()) return { error: 'invalid' as const };
      if (token.rotatedAt) {
        await this.revokeFamily(tx, token.family, 'reuse_detected');
        await this.endAccessTokens(tx, token.subjectType, token.subjectId);
        await run(tx, this.audit.record({
          action: 'auth.refresh.reuse_detected',
          target: { type: token.subjectType, id: token.subjectId },
          actor: { type: token.subjectType, id: token.subjectId },
          metadata: { family: token.family },
        }));
        return { error: 'reused' as const };
      }
      const subject = await loadSubject(token.subjectType, token.subjectId, tx);
      if (!subject) {
        await this.revokeFamily(tx, token.family, 'account_inactive');
        return { error: 'invalid' as const };
      }
      token.rotatedAt = new Date();
      return { tokens: this.issue(tx, subject, token.family) };
    });
    if (outcome.error === 'reused') throw MembershipErrors.REFRESH_TOKEN_REUSED();
    if (!outcome.tokens) throw MembershipErrors.REFRESH_TOKEN_INVALID();
    return outcome.tokens;
  }

  /**
   * Logout: revokes the presented token's family and ends the account's access tokens (its
   * other sessions get new ones at their next refresh). Unknown tokens are ignored (idempotent).
   */
  async revoke(em: EntityManager, presented: string): Promise<void> {
    const token = await em.findOne(RefreshToken, { tokenHash: sha256(presented) });
    if (!token) return;
    await this.revokeFamily(em, token.family, 'logout');
    await this.endAccessTokens(em, token.subjectType, token.subjectId);
    await run(em, this.audit.record({
      action: 'auth.logout',
      target: { type: token.subjectType, id: token.subjectId },
      actor: { type: token.subjectType, id: token.subjectId },
    }));
    await em.flush();
  }

  /** Ends every session of an account: its refresh tokens and its access tokens. */
  async revokeSubject(em: EntityManager, type: 'citizen' | 'staff', id: string, reason: string): Promise<void> {
    await em.nativeUpdate(
      RefreshToken,
      { subjectType: type, subjectId: id, revokedAt: null },
      { revokedAt: new Date(), revokeReason: reason },
    );
    await this.endAccessTokens(em, type, id);
  }

  /** Bumps the account's token epoch (one atomic update): its access tokens are refused from now on. */
  private async endAccessTokens(em: EntityManager, type: 'citizen' | 'staff', id: string): Promise<void> {
    await em.nativeUpdate(type === 'citizen' ? Citizen : StaffUser, { id }, { tokenEpoch: raw('token_epoch + 1') });
  }

  private async revokeFamily(em: EntityManager, family: string, reason: string): Promise<void> {
    await em.nativeUpdate(RefreshToken, { family, revokedAt: null }, { revokedAt: new Date(), revokeReason: reason });
  }

  signRegistration(mobile: string): string {
    return this.jwt.sign(
      { sub: mobile, typ: 'registration' },
      {
        expiresIn: this.config.auth.registrationTokenTtlSeconds,
        issuer: JWT_ISSUER,
        audience: REGISTRATION_AUDIENCE,
        algorithm: 'HS256',
      },
    );
  }

  /** The mobile number a registration token was issued for. */
  verifyRegistration(token: string): string {
    try {
      const claims = this.jwt.verify<{ sub: string; typ: string }>(token, {
        issuer: JWT_ISSUER,
        audience: REGISTRATION_AUDIENCE,
        algorithms: ['HS256'],
      });
      if (claims.typ !== 'registration') throw new Error('wrong type');
      return claims.sub;
    } catch {
      throw MembershipErrors.REGISTRATION_TOKEN_INVALID();
    }
  }
}

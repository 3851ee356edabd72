import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { Actor } from '@app/common';
import { APP_CONFIG } from '../../../config/config.module';
import type { ResolvedConfig } from '../../../config/app-config';
import { MembershipErrors } from '../membership.errors';
import { PrincipalStateService } from './principal-state.service';
import { AccessTokenClaims, jwtKey } from './token.types';

export const JWT_ISSUER = 'qazvin-citizen-services';

/**
 * Bearer access tokens of citizens, staff and organizations (passport-jwt). A well-signed,
 * unexpired token is also checked against its principal's current state: disabled, or its
 * epoch bumped since (roles, regions, scopes, logout) → TOKEN_REVOKED.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: ResolvedConfig,
    private readonly principals: PrincipalStateService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // a KeyObject (see jwtKey); passport-jwt hands it to jsonwebtoken unchanged
      secretOrKey: jwtKey(config.auth.jwtSecret) as unknown as string,
      algorithms: ['HS256'],
      issuer: JWT_ISSUER,
      ignoreExpiration: false,
    });
  }

  async validate(claims: AccessTokenClaims): Promise<Actor | false> {
    // registration tokens and anything else that is not an access token are refused
    if (!['staff', 'citizen', 'organization'].includes(claims.typ) || (claims as { aud?: unknown }).aud) return false;
    const state = await this.principals.current(claims);
    if (!state) throw MembershipErrors.TOKEN_REVOKED();
    return {
      type: claims.typ,
      id: claims.sub,
      roles: claims.typ === 'organization' ? (claims.scopes ?? []) : (claims.roles ?? []),
      regions: claims.regions ?? [],
      clientId: claims.cid,
      ...(claims.typ === 'citizen' ? { identityVerified: state.verified } : {}),
    };
  }
}

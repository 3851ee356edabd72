import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import {
  Actor,
  ALLOWED_PRINCIPALS,
  CommonErrors,
  IS_PUBLIC,
  REQUIRED_ROLES,
  REQUIRED_SCOPES,
  REQUIRE_VERIFIED_IDENTITY,
  RequestContext,
} from '@app/common';
import { MembershipErrors } from '../membership.errors';

/**
 * The global guard: deny by default. A route is reachable only when marked @Public() or
 * when the bearer token's principal passes the route's @Principals / @Roles / @Scopes; a
 * route that declares none of them is refused to everyone. Ownership and region checks
 * stay in the services.
 */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    await (super.canActivate(context) as Promise<boolean>);
    const actor = context.switchToHttp().getRequest<{ user: Actor }>().user;
    RequestContext.setActor(actor);

    const principals = this.reflector.getAllAndOverride<Actor['type'][] | undefined>(ALLOWED_PRINCIPALS, targets);
    const roles = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_ROLES, targets);
    const scopes = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_SCOPES, targets);
    // deny by default: a route must say who may call it
    if (!principals && !roles && !scopes) throw CommonErrors.FORBIDDEN();
    if (principals && !principals.includes(actor.type)) throw CommonErrors.FORBIDDEN();
    if (roles) {
      if (actor.type !== 'staff' || !roles.some((r) => actor.roles?.includes(r))) throw CommonErrors.FORBIDDEN();
    }
    if (scopes) {
      if (actor.type !== 'organization' || !scopes.every((s) => actor.roles?.includes(s))) {
        throw CommonErrors.FORBIDDEN();
      }
    }
    if (actor.type === 'citizen' && !actor.identityVerified && this.reflector.getAllAndOverride<boolean>(REQUIRE_VERIFIED_IDENTITY, targets)) {
      throw MembershipErrors.IDENTITY_NOT_VERIFIED({ extensions: { verify: { retry: 'POST /api/v1/me/identity/verify', desk: 'a region service desk, with the national ID card' } } });
    }
    return true;
  }

  /** A revoked token (TOKEN_REVOKED) and a failed state read keep their own answer; any other failure is UNAUTHENTICATED. */
  override handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err;
    if (!user) throw CommonErrors.UNAUTHENTICATED();
    return user;
  }
}

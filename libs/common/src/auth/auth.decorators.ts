import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Actor } from '../context/request-context';

export const IS_PUBLIC = 'auth:public';
export const REQUIRED_ROLES = 'auth:roles';
export const REQUIRED_SCOPES = 'auth:scopes';
export const ALLOWED_PRINCIPALS = 'auth:principals';
export const REQUIRE_VERIFIED_IDENTITY = 'auth:verified-identity';

/** Marks operations that need a verified identity of a citizen caller (`x-requires-verified-identity` in the OpenAPI document). */
export const OPENAPI_VERIFIED_IDENTITY_EXTENSION = 'x-requires-verified-identity';

/** Marks public operations in the OpenAPI document; `buildOpenApiDocument` turns it into `security: []`. */
export const OPENAPI_PUBLIC_EXTENSION = 'x-public';

/** Reachable without authentication. Everything else is denied by default. */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension(OPENAPI_PUBLIC_EXTENSION, true));

/** Staff roles allowed (any of). */
export const Roles = (...roles: string[]) => SetMetadata(REQUIRED_ROLES, roles);

/** Organization OAuth2 scopes required (all of). */
export const Scopes = (...scopes: string[]) => SetMetadata(REQUIRED_SCOPES, scopes);

/**
 * Owner-scoped: a citizen caller must have a verified identity (else 403
 * IDENTITY_NOT_VERIFIED, telling them to verify). Staff and organizations are not affected.
 */
export const VerifiedIdentity = () =>
  applyDecorators(SetMetadata(REQUIRE_VERIFIED_IDENTITY, true), ApiExtension(OPENAPI_VERIFIED_IDENTITY_EXTENSION, true));

/** Which kinds of principal may call (citizen, staff, organization). */
export const Principals = (...kinds: Array<Actor['type']>) => SetMetadata(ALLOWED_PRINCIPALS, kinds);

/** The authenticated actor of this request. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<{ user?: Actor }>();
  return req.user ?? { type: 'anonymous', id: null };
});

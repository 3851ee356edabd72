import { createSecretKey, KeyObject } from 'node:crypto';

/** Claims of the access tokens this API issues (HS256). */
export interface AccessTokenClaims {
  sub: string;
  /** Principal kind. */
  typ: 'staff' | 'citizen' | 'organization';
  roles?: string[];
  regions?: number[];
  scopes?: string[];
  /** OAuth client id (organization tokens). */
  cid?: string;
  /**
   * The principal's token epoch when the token was issued (the API client's for an
   * organization): a token whose epoch is no longer current is refused (PrincipalStateService).
   */
  ep?: number;
}

/**
 * The HS256 key as a KeyObject, built once. Given a string, jsonwebtoken first tries to
 * parse it as a PEM private/public key on every sign and verify, throws, and only then
 * makes a secret key: a few hundred microseconds per token for nothing.
 */
export function jwtKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

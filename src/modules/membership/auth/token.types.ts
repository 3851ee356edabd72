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
}

/** The path prefix of every API route (`/api/v1/...`); pages and links that name a route use it. */
export const API_PREFIX = 'api/v1';

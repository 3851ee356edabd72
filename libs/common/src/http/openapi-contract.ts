/**
 * What the OpenAPI document states about rate limits, read by the document builder
 * (`completeOperations` in app.setup.ts) and checked by Spectral (.spectral.yaml).
 */
export const OPENAPI_RATE_LIMIT_EXTENSION = 'x-rate-limit';

/**
 * The value of `x-rate-limit` on an operation whose limiter sends `RateLimit-Limit`,
 * `RateLimit-Remaining` and `RateLimit-Reset` on its answers and `Retry-After` on its 429.
 * `limit`/`windowSeconds` are absent when they come from configuration (filled in by the
 * document builder).
 */
export interface RateLimitHeaders {
  /** Whose requests are counted together. */
  per: string;
  limit?: number;
  windowSeconds?: number;
  /** A second, daily limit counted beside the first (organization clients). */
  dailyQuota?: number;
}

/** The response headers the limiters send (IETF draft-ietf-httpapi-ratelimit-headers, separate fields). */
export const RATE_LIMIT_RESPONSE_HEADERS = {
  'RateLimit-Limit': {
    description:
      'Requests allowed in the current window. On every answer once the limiter has counted the call (not on a body the parser ' +
      'refuses first: malformed JSON, 413, 415)',
    schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 100_000_000 },
  },
  'RateLimit-Remaining': {
    description: 'Requests left in the current window',
    schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 100_000_000 },
  },
  'RateLimit-Reset': {
    description: 'Seconds until the window ends and the count starts again',
    schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 86_400 },
  },
} as const;

export const RETRY_AFTER_HEADER = {
  description: 'Seconds to wait before trying again',
  schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 86_400 },
} as const;

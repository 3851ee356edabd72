import { HttpException } from '@nestjs/common';
import { CommonErrors } from './common.errors';
import { DomainError, FieldError } from './domain-error';

/**
 * Maps anything thrown while serving a request to a DomainError. Unknown errors become
 * INTERNAL_ERROR (and are logged by the caller); database and storage outages become 503
 * with Retry-After. Nothing of the original message reaches the client unless the error
 * was a DomainError.
 */
export function toDomainError(err: unknown): DomainError {
  if (err instanceof DomainError) return err;
  const e = err as Record<string, unknown> & Error;

  // body-parser / raw-body errors (raised before any controller runs)
  if (e && typeof e === 'object' && typeof e.type === 'string') {
    switch (e.type) {
      case 'entity.parse.failed':
        return CommonErrors.MALFORMED_JSON({ cause: err });
      case 'entity.too.large':
        return CommonErrors.PAYLOAD_TOO_LARGE({ cause: err });
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return CommonErrors.UNSUPPORTED_MEDIA_TYPE({ cause: err });
      case 'request.aborted':
      case 'request.size.invalid':
      case 'stream.encoding.set':
        return CommonErrors.BAD_REQUEST({ cause: err });
    }
  }
  // the parsers' other client errors (http-errors: `expose` and a 4xx status), e.g. a body
  // that is not the gzip/deflate/br its Content-Encoding says (zlib's Z_DATA_ERROR as a 400)
  if (e && typeof e === 'object' && e.expose === true && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    if (e.status === 400 && typeof e.code === 'string' && /^(Z_|ERR__ERROR_FORMAT|ERR_BROTLI)/.test(e.code)) {
      return CommonErrors.BODY_ENCODING_INVALID({ cause: err });
    }
    return fromStatus(e.status, String(e.message ?? ''), err);
  }

  // multer
  if (e?.name === 'MulterError') {
    if (e.code === 'LIMIT_FILE_SIZE' || e.code === 'LIMIT_FIELD_VALUE') {
      return CommonErrors.PAYLOAD_TOO_LARGE({ cause: err });
    }
    return CommonErrors.BAD_REQUEST({
      cause: err,
      fieldErrors: [
        {
          field: String(e.field ?? 'file'),
          code: String(e.code),
          message: { fa: 'پرونده ارسالی پذیرفته نیست.', en: String(e.message) },
        },
      ],
    });
  }

  if (err instanceof HttpException) return fromHttpException(err);

  const input = fromInputError(e);
  if (input) return input;

  const db = fromDatabaseError(e);
  if (db) return db;

  return CommonErrors.INTERNAL_ERROR({ cause: err });
}

function fromHttpException(err: HttpException): DomainError {
  const response = err.getResponse();
  const message =
    typeof response === 'string'
      ? response
      : String((response as { message?: unknown }).message ?? err.message);
  return fromStatus(err.getStatus(), message, err);
}

function fromStatus(status: number, message: string, err: unknown): DomainError {
  switch (status) {
    case 400:
      return CommonErrors.BAD_REQUEST({ cause: err });
    case 401:
      return CommonErrors.UNAUTHENTICATED({ cause: err });
    case 403:
      return CommonErrors.FORBIDDEN({ cause: err });
    case 404:
      return message.startsWith('Cannot ')
        ? CommonErrors.ROUTE_NOT_FOUND({ cause: err })
        : CommonErrors.NOT_FOUND({ cause: err });
    case 405:
      return CommonErrors.METHOD_NOT_ALLOWED({ cause: err });
    case 409:
      return CommonErrors.CONFLICT({ cause: err });
    case 413:
      return CommonErrors.PAYLOAD_TOO_LARGE({ cause: err });
    case 415:
      return CommonErrors.UNSUPPORTED_MEDIA_TYPE({ cause: err });
    case 429:
      return CommonErrors.RATE_LIMITED({ cause: err, retryAfterSeconds: 60 });
    case 503:
      return CommonErrors.SERVICE_UNAVAILABLE({ cause: err, retryAfterSeconds: 30 });
    default:
      return status >= 500
        ? CommonErrors.INTERNAL_ERROR({ cause: err })
        : CommonErrors.BAD_REQUEST({ cause: err });
  }
}

/**
 * Input a service passed on that a lower layer refused as invalid: a coded `@app/iran`
 * helper error (JALALI_DATE_INVALID, RENEWAL_CODE_INVALID, ...) no service mapped.
 */
function fromInputError(e: Record<string, unknown> & Error): DomainError | undefined {
  if (!e || typeof e !== 'object') return undefined;
  if (e.name === 'IranValidationError' && typeof e.code === 'string') {
    return CommonErrors.VALIDATION_FAILED({
      cause: e,
      fieldErrors: [{ field: 'value', code: e.code, message: { fa: 'مقدار واردشده معتبر نیست.', en: String(e.message) } }],
    });
  }
  return undefined;
}

/** The database is down, restarting or refusing connections: DATABASE_UNAVAILABLE. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown (also pg_terminate_backend)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
]);

/**
 * Work the database ended to protect itself or others: DATABASE_BUSY. 57014 query_canceled
 * (statement_timeout), 55P03 lock_not_available (lock_timeout), 25P03
 * idle_in_transaction_session_timeout.
 */
const BUSY_CODES = new Set(['57014', '55P03', '25P03']);

/** What the driver and the pool say when a connection is gone or was never had. */
const CONNECTION_MESSAGES =
  /Connection terminated|connect ECONNREFUSED|Client was closed and is not queryable|Client has encountered a connection error/i;

function fromDatabaseError(e: Record<string, unknown> & Error): DomainError | undefined {
  if (!e || typeof e !== 'object') return undefined;
  const name = String(e.name ?? '');
  const code = String(e.code ?? '');
  const msg = String(e.message ?? '');
  if (name === 'UniqueConstraintViolationException' || code === '23505') {
    return CommonErrors.CONFLICT({ cause: e, fieldErrors: uniqueFieldErrors(e) });
  }
  if (name === 'NotFoundError') return CommonErrors.NOT_FOUND({ cause: e });
  if (name === 'ForeignKeyConstraintViolationException' || code === '23503') {
    return CommonErrors.CONFLICT({ cause: e });
  }
  if (
    name === 'CheckConstraintViolationException' ||
    name === 'NotNullConstraintViolationException' ||
    code === '23514' ||
    code === '23502' ||
    code === '22P02' ||
    code === '22003'
  ) {
    return CommonErrors.VALIDATION_FAILED({ cause: e });
  }
  // no connection free within DB_ACQUIRE_TIMEOUT_MS (knex's pool, the read pool's pg-pool), or a server-side time limit hit
  if (name === 'KnexTimeoutError' || /Timeout acquiring a connection|Query read timeout|timeout exceeded when trying to connect/i.test(msg) || BUSY_CODES.has(code)) {
    return CommonErrors.DATABASE_BUSY({ cause: e, retryAfterSeconds: 2 });
  }
  if (
    name === 'ConnectionException' ||
    CONNECTION_CODES.has(code) ||
    code.startsWith('08') || // connection_exception class
    // object_not_in_prerequisite_state: "database … is not currently accepting connections"
    (code === '55000' && /accepting connections|allow connections/i.test(msg)) ||
    CONNECTION_MESSAGES.test(msg)
  ) {
    return CommonErrors.DATABASE_UNAVAILABLE({ cause: e, retryAfterSeconds: 5 });
  }
  if (name === 'DeadlockException' || code === '40001' || code === '40P01') {
    return CommonErrors.SERVICE_UNAVAILABLE({ cause: e, retryAfterSeconds: 1 });
  }
  return undefined;
}

/** `Key (national_id)=(...)` → a field error naming the column, never the value. */
function uniqueFieldErrors(e: Record<string, unknown>): FieldError[] {
  const detail = String(e.detail ?? '');
  const m = /Key \(([^)]+)\)=/.exec(detail);
  if (!m) return [];
  return m[1].split(',').map((column) => ({
    field: column.trim().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
    code: 'unique',
    message: { fa: 'این مقدار قبلاً ثبت شده است.', en: 'This value is already registered.' },
  }));
}

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

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02',
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
]);

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
  if (
    name === 'ConnectionException' ||
    name === 'KnexTimeoutError' ||
    CONNECTION_CODES.has(code) ||
    /Timeout acquiring a connection|Connection terminated|Query read timeout|connect ECONNREFUSED/i.test(msg)
  ) {
    return CommonErrors.DATABASE_UNAVAILABLE({ cause: e, retryAfterSeconds: 5 });
  }
  if (name === 'DeadlockException' || code === '40001' || code === '40P01' || code === '57014') {
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

import { BadRequestException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { DomainError } from './domain-error';
import { toProblem } from './problem';
import { toDomainError } from './to-domain-error';

describe('toDomainError', () => {
  const cases: Array<[string, unknown, number, string]> = [
    ['body-parser JSON error', Object.assign(new Error('Unexpected token'), { type: 'entity.parse.failed' }), 400, 'MALFORMED_JSON'],
    ['body-parser size error', Object.assign(new Error('too large'), { type: 'entity.too.large' }), 413, 'PAYLOAD_TOO_LARGE'],
    ['unsupported charset', Object.assign(new Error('x'), { type: 'charset.unsupported' }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['multer size', Object.assign(new Error('File too large'), { name: 'MulterError', code: 'LIMIT_FILE_SIZE' }), 413, 'PAYLOAD_TOO_LARGE'],
    ['unknown route', new NotFoundException('Cannot GET /x'), 404, 'ROUTE_NOT_FOUND'],
    ['missing record', new NotFoundException('Staff not found'), 404, 'NOT_FOUND'],
    ['nest 413', new PayloadTooLargeException(), 413, 'PAYLOAD_TOO_LARGE'],
    ['nest 400', new BadRequestException('nope'), 400, 'BAD_REQUEST'],
    ['pg unique violation', Object.assign(new Error('duplicate key'), { code: '23505', detail: 'Key (national_id)=(0012345678) already exists.' }), 409, 'CONFLICT'],
    ['ORM unique violation', Object.assign(new Error('dup'), { name: 'UniqueConstraintViolationException' }), 409, 'CONFLICT'],
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), 503, 'DATABASE_UNAVAILABLE'],
    ['pool timeout', Object.assign(new Error('Knex: Timeout acquiring a connection.'), { name: 'KnexTimeoutError' }), 503, 'DATABASE_BUSY'],
    ['query timeout', new Error('Query read timeout'), 503, 'DATABASE_BUSY'],
    ['statement_timeout', Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }), 503, 'DATABASE_BUSY'],
    ['lock_timeout', Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' }), 503, 'DATABASE_BUSY'],
    ['idle in transaction', Object.assign(new Error('terminating connection due to idle-in-transaction timeout'), { code: '25P03' }), 503, 'DATABASE_BUSY'],
    ['refusing database', Object.assign(new Error('database "x" is not currently accepting connections'), { code: '55000' }), 503, 'DATABASE_UNAVAILABLE'],
    ['other 55000', Object.assign(new Error('lastval is not yet defined in this session'), { code: '55000' }), 500, 'INTERNAL_ERROR'],
    ['terminated backend', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }), 503, 'DATABASE_UNAVAILABLE'],
    ['crash shutdown', Object.assign(new Error('x'), { code: '57P02' }), 503, 'DATABASE_UNAVAILABLE'],
    ['starting up', Object.assign(new Error('the database system is starting up'), { code: '57P03' }), 503, 'DATABASE_UNAVAILABLE'],
    ['too many connections', Object.assign(new Error('sorry, too many clients already'), { code: '53300' }), 503, 'DATABASE_UNAVAILABLE'],
    ['connection failure', Object.assign(new Error('x'), { code: '08006' }), 503, 'DATABASE_UNAVAILABLE'],
    ['a destroyed connection', new Error('Client was closed and is not queryable'), 503, 'DATABASE_UNAVAILABLE'],
    ['serialization failure', Object.assign(new Error('could not serialize'), { code: '40001' }), 503, 'SERVICE_UNAVAILABLE'],
    ['check violation', Object.assign(new Error('violates check'), { code: '23514' }), 400, 'VALIDATION_FAILED'],
    ['body not the gzip it claims (zlib via body-parser)', Object.assign(new Error('incorrect header check'), { status: 400, statusCode: 400, expose: true, code: 'Z_DATA_ERROR' }), 400, 'BODY_ENCODING_INVALID'],
    ['body not the brotli it claims', Object.assign(new Error('Decompression failed'), { status: 400, expose: true, code: 'ERR__ERROR_FORMAT_PADDING_2' }), 400, 'BODY_ENCODING_INVALID'],
    ['another exposed parser 4xx', Object.assign(new Error('x'), { status: 413, expose: true }), 413, 'PAYLOAD_TOO_LARGE'],
    ['an unexposed 4xx-looking error', Object.assign(new Error('x'), { status: 400, expose: false }), 500, 'INTERNAL_ERROR'],
    ['an unmapped @app/iran error', Object.assign(new Error('no such Jalali date'), { name: 'IranValidationError', code: 'JALALI_DATE_INVALID' }), 400, 'VALIDATION_FAILED'],
    ['anything else', new TypeError('x is undefined'), 500, 'INTERNAL_ERROR'],
    ['a thrown string', 'boom', 500, 'INTERNAL_ERROR'],
  ];

  it.each(cases)('maps %s', (_name, err, status, code) => {
    const mapped = toDomainError(err);
    expect(mapped).toBeInstanceOf(DomainError);
    expect([mapped.status, mapped.code]).toEqual([status, code]);
  });

  it('names the column of a unique violation but never its value', () => {
    const mapped = toDomainError(
      Object.assign(new Error('duplicate key value'), { code: '23505', detail: 'Key (national_id)=(0012345678) already exists.' }),
    );
    const body = toProblem(mapped, 'en', {});
    expect(body.errors).toEqual([{ field: 'nationalId', code: 'unique', message: 'This value is already registered.' }]);
    expect(JSON.stringify(body)).not.toContain('0012345678');
  });

  it('sets Retry-After seconds on outages', () => {
    expect(toDomainError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })).retryAfterSeconds).toBe(5);
  });

  it('never copies an unknown error message into the problem', () => {
    const body = toProblem(toDomainError(new Error('select * from secret_table')), 'en', {});
    expect(JSON.stringify(body)).not.toContain('secret_table');
  });
});

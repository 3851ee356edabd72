import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '../errors/problem';

export class ProblemFieldErrorDto {
  @ApiProperty({ example: 'nationalId', description: 'Dotted path of the input field' })
  field: string;
  @ApiProperty({ example: 'NATIONAL_ID_INVALID', description: 'Stable constraint code' })
  code: string;
  @ApiProperty({ example: 'کد ملی معتبر نیست.' })
  message: string;
}

/** RFC 9457 problem details, as every error of this API is answered. */
export class ProblemDto {
  @ApiProperty({ example: 'urn:qazvin:problem:validation-failed' })
  type: string;
  @ApiProperty({ example: 'اطلاعات ارسال‌شده معتبر نیست.' })
  title: string;
  @ApiProperty({ example: 400 })
  status: number;
  @ApiProperty({
    example: 'VALIDATION_FAILED',
    description: 'Stable machine-readable error code; switch on this, never on the text.',
  })
  code: string;
  @ApiProperty({
    example: 'اطلاعات ارسال‌شده معتبر نیست.',
    description: 'Human-readable explanation in Persian (default) or English (`Accept-Language: en`).',
  })
  detail: string;
  @ApiPropertyOptional({ example: '/api/v1/auth/otp' })
  instance?: string;
  @ApiPropertyOptional({ example: '6f1c1f9e-3c1b-4b7e-9a51-0c8f2f3f9b10', description: 'Echo of X-Request-Id' })
  requestId?: string;
  @ApiPropertyOptional({ type: [ProblemFieldErrorDto] })
  errors?: ProblemFieldErrorDto[];
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (`VALIDATION_FAILED` with `errors[]`, `MALFORMED_JSON`, or a coded domain error)',
  401: 'Not authenticated (`UNAUTHENTICATED`)',
  403: 'Authenticated but not allowed (`FORBIDDEN`)',
  404: 'Not found, or not yours (`NOT_FOUND`)',
  409: 'Conflicts with existing data (`CONFLICT` or a coded domain error)',
  413: 'Body or upload too large (`PAYLOAD_TOO_LARGE`)',
  415: 'Unsupported content type (`UNSUPPORTED_MEDIA_TYPE`)',
  422: 'Well-formed but not acceptable in the current state (coded domain error)',
  429: 'Rate limited (`RATE_LIMITED`); see the `Retry-After` header',
  503: 'Database or storage temporarily unavailable; see `Retry-After`',
};

/** Documents problem+json error responses for the given statuses. */
export function ApiProblems(...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        content: { [PROBLEM_CONTENT_TYPE.split(';')[0]]: { schema: { $ref: getSchemaPath(ProblemDto) } } },
      }),
    ),
  );
}

/**
 * Documents one problem+json error response whose description names the exact codes the
 * operation can answer with that status (instead of the generic sentence of `ApiProblems`);
 * do not pass the same status to `ApiProblems` as well.
 */
export function ApiProblem(status: number, description: string) {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ApiResponse({
      status,
      description,
      content: { [PROBLEM_CONTENT_TYPE.split(';')[0]]: { schema: { $ref: getSchemaPath(ProblemDto) } } },
    }),
  );
}

import { applyDecorators } from '@nestjs/common';
import { ApiProblem } from '@app/common';

/**
 * The error responses of an operation that takes scans through `DocumentIntakeService`
 * (a citizen's documents, a visit's photos), each status with the codes it can carry, so an
 * integrator's client can tell the person what to do (rescan, send a smaller file, retry).
 * `more` adds the operation's own codes to a status ("`DOCUMENT_KIND_INVALID`, ...").
 */
export function ApiDocumentUploadProblems(more: { 400?: string; 409?: string } = {}) {
  return applyDecorators(
    ApiProblem(
      400,
      'Invalid input: `DOCUMENT_EMPTY` (a zero-byte file), `VALIDATION_FAILED` (`errors[]`)' +
        (more[400] ? `, ${more[400]}` : ''),
    ),
    ...(more[409] ? [ApiProblem(409, `Not possible in the current state: ${more[409]}`)] : []),
    ApiProblem(
      413,
      'Too large: `PAYLOAD_TOO_LARGE` (the upload is over `DOCUMENT_UPLOAD_MAX_BYTES`, 5 MB by default, refused while it ' +
        'arrives) or `DOCUMENT_TOO_LARGE` (it cannot be re-encoded under `DOCUMENT_STORED_MAX_BYTES`, ~300 KB)',
    ),
    ApiProblem(415, 'Unsupported type: `DOCUMENT_TYPE_NOT_ALLOWED` (only PNG or JPEG, decided by the bytes, never by the name)'),
    ApiProblem(
      422,
      'The scan is not acceptable; the Persian message says what to rescan: `DOCUMENT_TOO_SMALL` (below the minimum pixel ' +
        'size of its kind: `DOCUMENT_MIN_PAGE_PX`, `DOCUMENT_MIN_CARD_PX`, `DOCUMENT_MIN_PHOTO_PX`; `minWidth`, `minHeight`, ' +
        '`width`, `height` in the problem), `DOCUMENT_ILLEGIBLE` (blank or too faint: under `DOCUMENT_MIN_CONTRAST`), ' +
        '`DOCUMENT_UNREADABLE` (a corrupt image), `DOCUMENT_INFECTED` (the virus scanner refused it)',
    ),
    ApiProblem(503, 'Try again later (`Retry-After`): `DOCUMENT_SCAN_UNAVAILABLE` (the virus scanner is unreachable), or the database or storage is'),
  );
}

import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { CommonErrors } from '../errors/common.errors';
import { PROBLEM_CONTENT_TYPE, toProblem } from '../errors/problem';

/**
 * Requests Node's HTTP parser refuses before any middleware runs — a request line or
 * headers over its 16 KB limit (431), a control character in a header, a malformed request
 * line (400) — answer problem+json with a code like every other refusal, instead of Node's
 * bare status line. Persian, as the request's Accept-Language cannot be trusted here.
 */
export function answerParserErrorsAsProblems(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    if (!err.code?.startsWith('HPE_')) {
      // a request timeout and the like: as Node answers it
      socket.end(err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n' : 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    const error = err.code === 'HPE_HEADER_OVERFLOW' ? CommonErrors.REQUEST_HEADERS_TOO_LARGE() : CommonErrors.BAD_REQUEST();
    const body = JSON.stringify(toProblem(error, 'fa', {}));
    socket.end(
      `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Language: fa\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

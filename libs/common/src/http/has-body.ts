import type { IncomingMessage } from 'node:http';

/** Whether a request carries a body (a length above 0 or a chunked transfer). */
export function hasBody(req: IncomingMessage): boolean {
  return Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
}

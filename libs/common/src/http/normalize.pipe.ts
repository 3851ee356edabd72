import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { normalizePersianText } from '@app/iran';

/**
 * The one normalization step every body, query and path value passes before validation:
 * Persian/Arabic digits → ASCII, ي→ی, ك→ک, trimmed (see `@app/iran` normalizePersianText).
 * Secret-like fields (passwords, client secrets) are left exactly as typed.
 */
@Injectable()
export class NormalizeInputPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' && metadata.type !== 'query' && metadata.type !== 'param') return value;
    return normalizeInput(value);
  }
}

const SECRET_KEY = /password|secret/i;

export function normalizeInput(value: unknown): unknown {
  if (typeof value === 'string' || value === null || typeof value !== 'object') {
    return typeof value === 'string' ? normalizePersianText(value) : value;
  }
  if (Array.isArray(value)) return value.map(normalizeInput);
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
    return value;
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    out[key] = SECRET_KEY.test(key) ? v : normalizeInput(v);
  }
  return out;
}

import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { DomainError } from '@app/common';
import { DocumentsErrors } from './documents.errors';

export type ImageFormat = 'png' | 'jpeg';

/** The format of an upload from its first bytes (never its name or declared type); null for anything else. */
export function sniffImageFormat(bytes: Buffer): ImageFormat | null {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

export interface SanitizeOptions {
  /** Largest stored size in bytes (the guide's ~300 KB per page). */
  maxBytes: number;
  /** Longest side in pixels after re-encoding. */
  maxSidePx: number;
}

export interface SanitizedImage {
  bytes: Buffer;
  contentType: 'image/jpeg';
  width: number;
  height: number;
  sourceFormat: ImageFormat;
  sha256: string;
  originalSha256: string;
}

/** Refuse decompression bombs: no page needs more than ~50 megapixels. */
const MAX_INPUT_PIXELS = 50_000_000;
const QUALITIES = [82, 72, 62, 52, 42];
/** Baseline libjpeg-turbo without the Huffman optimisation pass: half the CPU for ~5 % more bytes. */
const JPEG = (quality: number) => ({ quality, mozjpeg: false, optimizeCoding: false, chromaSubsampling: '4:2:0' as const });
// every upload is a new image: libvips' operation cache would only hold memory
sharp.cache(false);

/**
 * Decodes a PNG/JPEG scan and writes a fresh baseline JPEG from its pixels only: no EXIF
 * (GPS), XMP, ICC or comments survive, and nothing appended to or hidden in the original
 * file (polyglots, scripts after IEND) reaches storage. The page is oriented by its EXIF
 * first, fitted into `maxSidePx` and compressed until it fits `maxBytes`.
 */
export async function sanitizeImage(input: Buffer, options: SanitizeOptions): Promise<SanitizedImage> {
  if (!input.length) throw DocumentsErrors.DOCUMENT_EMPTY();
  const sourceFormat = sniffImageFormat(input);
  if (!sourceFormat) throw DocumentsErrors.DOCUMENT_TYPE_NOT_ALLOWED();
  try {
    const meta = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
    if (meta.format !== (sourceFormat === 'png' ? 'png' : 'jpeg')) throw DocumentsErrors.DOCUMENT_TYPE_NOT_ALLOWED();
    const originalSha256 = createHash('sha256').update(input).digest('hex');
    const done = (data: Buffer, width: number, height: number): SanitizedImage => ({
      bytes: data,
      contentType: 'image/jpeg',
      width,
      height,
      sourceFormat,
      sha256: createHash('sha256').update(data).digest('hex'),
      originalSha256,
    });
    const fitted = () =>
      sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
        .rotate()
        .resize({ width: options.maxSidePx, height: options.maxSidePx, fit: 'inside', withoutEnlargement: true })
        .flatten({ background: '#ffffff' })
        .removeAlpha();
    // the usual case in one pass: decode, orient, fit, encode. A scan already near the limit
    // starts lower, since re-encoding at a higher quality than its own would make it bigger.
    const start = input.length > options.maxBytes * 0.6 ? 1 : 0;
    const first = await fitted().jpeg(JPEG(QUALITIES[start])).toBuffer({ resolveWithObject: true });
    if (first.data.length <= options.maxBytes) return done(first.data, first.info.width, first.info.height);
    // too big: decode once to raw pixels and only repeat the encoding, lowering quality, then size
    let { data: pixels, info } = await fitted().raw().toBuffer({ resolveWithObject: true });
    for (let round = 0; round < 4; round++) {
      for (const quality of round === 0 ? QUALITIES.slice(start + 1) : QUALITIES) {
        const data = await sharp(pixels, { raw: { width: info.width, height: info.height, channels: info.channels } })
          .jpeg(JPEG(quality))
          .toBuffer();
        if (data.length <= options.maxBytes) return done(data, info.width, info.height);
      }
      ({ data: pixels, info } = await sharp(pixels, { raw: { width: info.width, height: info.height, channels: info.channels } })
        .resize({ width: Math.max(1, Math.floor(info.width * 0.75)) })
        .raw()
        .toBuffer({ resolveWithObject: true }));
    }
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw DocumentsErrors.DOCUMENT_UNREADABLE({ cause: err });
  }
  throw DocumentsErrors.DOCUMENT_TOO_LARGE();
}

/** The base name of an uploaded file, without any path or control characters, at most 100 characters. */
export function safeFileName(name: string | undefined | null): string | null {
  if (!name) return null;
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = [...base]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f && !'<>:"|?*'.includes(ch))
    .join('')
    .replace(/^\.+/, '')
    .trim()
    .slice(0, 100);
  return cleaned || null;
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import sharp from 'sharp';
import { persianDigits } from '@app/iran';
import { clamavScan, ScanResult } from './clamav.client';
import { DocumentsErrors } from './documents.errors';
import { safeFileName, sanitizeImage, SanitizedImage } from './image-sanitizer';

export interface UploadedFileLike {
  buffer: Buffer;
  originalname?: string;
  size?: number;
}

/** What the scan shows, for its legibility floor: a full page, an ID card, or a site photo. */
export type ScanKind = 'page' | 'card' | 'photo';

export interface ScanLabel {
  /** What to rescan, in Persian, e.g. «صفحهٔ سند». */
  fa: string;
  en: string;
}

const DEFAULT_LABEL: Record<ScanKind, ScanLabel> = {
  page: { fa: 'صفحهٔ مدرک', en: 'page' },
  card: { fa: 'کارت', en: 'card' },
  photo: { fa: 'عکس', en: 'photo' },
};

export interface PreparedDocument extends SanitizedImage {
  originalName: string | null;
  scanned: boolean;
}

/**
 * Turns an upload into bytes fit for storage: not empty, scanned by ClamAV when one is
 * configured (INSTREAM over TCP), PNG/JPEG by content, re-encoded without metadata and
 * within the stored-size limit. Every refusal is a coded error; nothing is stored here.
 */
@Injectable()
export class DocumentIntakeService {
  private readonly logger = new Logger(DocumentIntakeService.name);

  constructor(@Inject(APP_CONFIG) private readonly config: ResolvedConfig) {}

  get scanning(): boolean {
    return this.config.documents.clamav !== null;
  }

  /**
   * `scan` names the kind of scan for its legibility floor (configured smallest long × short
   * side, either orientation, and a least contrast) and what the refusal asks to rescan.
   */
  async prepare(file: UploadedFileLike | undefined, scan: { kind: ScanKind; label?: ScanLabel } = { kind: 'page' }): Promise<PreparedDocument> {
    if (!file || !Buffer.isBuffer(file.buffer)) throw DocumentsErrors.DOCUMENT_REQUIRED();
    if (!file.buffer.length) throw DocumentsErrors.DOCUMENT_EMPTY();
    if (file.buffer.length > this.config.documents.uploadMaxBytes) throw DocumentsErrors.DOCUMENT_TOO_LARGE();
    const scanned = await this.scan(file.buffer);
    const image = await sanitizeImage(file.buffer, {
      maxBytes: this.config.documents.storedMaxBytes,
      maxSidePx: this.config.documents.maxSidePx,
    });
    await this.assertLegible(image, scan.kind, scan.label ?? DEFAULT_LABEL[scan.kind]);
    return { ...image, originalName: safeFileName(file.originalname), scanned };
  }

  /**
   * The legibility floor, on the oriented and re-encoded page (never enlarged, so its size is
   * the source's unless it was bigger than `maxSidePx`): each side at least the kind's minimum,
   * and not blank (grey-level standard deviation on a thumbnail at least `minContrast`).
   */
  private async assertLegible(image: SanitizedImage, kind: ScanKind, label: ScanLabel): Promise<void> {
    const min = this.config.documents.minPx[kind];
    const long = Math.max(image.width, image.height);
    const short = Math.min(image.width, image.height);
    const extensions = { minWidth: min.long, minHeight: min.short, width: image.width, height: image.height, scanKind: kind };
    if (long < min.long || short < min.short) {
      const fa = (n: number) => persianDigits(n);
      throw DocumentsErrors.DOCUMENT_TOO_SMALL({
        extensions,
        message: {
          fa: `تصویر ${fa(image.width)}×${fa(image.height)} پیکسل برای خواندن کوچک است؛ ${label.fa} را دوباره و کامل اسکن یا عکاسی کنید، دست‌کم ${fa(min.long)}×${fa(min.short)} پیکسل.`,
          en: `The image is ${image.width}×${image.height} pixels, too small to read; rescan or photograph the ${label.en} whole at no less than ${min.long}×${min.short} pixels.`,
        },
      });
    }
    if (this.config.documents.minContrast > 0) {
      const contrast = await thumbnailContrast(image.bytes);
      if (contrast < this.config.documents.minContrast) {
        throw DocumentsErrors.DOCUMENT_ILLEGIBLE({
          extensions: { scanKind: kind },
          message: {
            fa: `تصویر سفید یا بسیار کم‌رنگ است و خوانده نمی‌شود؛ ${label.fa} را در نور کافی دوباره اسکن یا عکاسی کنید.`,
            en: `The image is blank or too faint to read; rescan or photograph the ${label.en} in good light.`,
          },
        });
      }
    }
  }

  /** True when scanned and clean, false when no scanner is configured; throws when infected. */
  async scan(bytes: Buffer): Promise<boolean> {
    const clamav = this.config.documents.clamav;
    if (!clamav) return false;
    let result: ScanResult;
    try {
      result = await clamavScan(bytes, clamav);
    } catch (err) {
      this.logger.error({ err }, 'virus scan failed');
      throw DocumentsErrors.DOCUMENT_SCAN_UNAVAILABLE({ cause: err, retryAfterSeconds: 30 });
    }
    if (!result.clean) {
      this.logger.warn(
        { signature: result.signature, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length },
        'infected upload refused',
      );
      throw DocumentsErrors.DOCUMENT_INFECTED({ extensions: { signature: result.signature } });
    }
    return true;
  }
}

/**
 * The grey-level standard deviation of a 256-pixel thumbnail: decoded at a fraction of its
 * size (JPEG shrink-on-load) and measured here. sharp's `stats()` would measure the whole
 * decoded page instead, whatever the pipeline resizes (about 100 ms of CPU for a 1280×960
 * scan against 14 ms; bench/RESULTS-hot-reads.md, inquiry submission).
 */
async function thumbnailContrast(bytes: Buffer): Promise<number> {
  const { data, info } = await sharp(bytes).resize({ width: 256, height: 256, fit: 'inside' }).greyscale().raw().toBuffer({ resolveWithObject: true });
  let n = 0;
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < data.length; i += info.channels) {
    n++;
    sum += data[i];
    squares += data[i] * data[i];
  }
  if (n === 0) return 0;
  const mean = sum / n;
  return Math.sqrt(Math.max(0, squares / n - mean * mean));
}

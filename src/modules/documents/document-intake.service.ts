import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { clamavScan, ScanResult } from './clamav.client';
import { DocumentsErrors } from './documents.errors';
import { safeFileName, sanitizeImage, SanitizedImage } from './image-sanitizer';

export interface UploadedFileLike {
  buffer: Buffer;
  originalname?: string;
  size?: number;
}

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

  async prepare(file: UploadedFileLike | undefined): Promise<PreparedDocument> {
    if (!file || !Buffer.isBuffer(file.buffer)) throw DocumentsErrors.DOCUMENT_REQUIRED();
    if (!file.buffer.length) throw DocumentsErrors.DOCUMENT_EMPTY();
    if (file.buffer.length > this.config.documents.uploadMaxBytes) throw DocumentsErrors.DOCUMENT_TOO_LARGE();
    const scanned = await this.scan(file.buffer);
    const image = await sanitizeImage(file.buffer, {
      maxBytes: this.config.documents.storedMaxBytes,
      maxSidePx: this.config.documents.maxSidePx,
    });
    return { ...image, originalName: safeFileName(file.originalname), scanned };
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

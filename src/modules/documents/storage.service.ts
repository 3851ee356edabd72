import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client } from 'minio';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { CommonErrors, DomainError } from '@app/common';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';

export interface StoredObject {
  key: string;
  size: number;
  contentType: string;
  sha256: string;
}

/**
 * All access to object storage (MinIO in production, s3rver embedded and in tests) goes
 * through here, with the `minio` client. Objects are always written with a known size
 * (s3rver has no multipart upload). Storage outages become a coded 503.
 */
@Injectable()
export class StorageService {
  private readonly logger = new Logger(StorageService.name);
  private readonly client: Client;
  readonly bucket: string;

  constructor(@Inject(APP_CONFIG) config: ResolvedConfig) {
    const s = config.storage;
    this.bucket = s.bucket;
    this.client = new Client({
      endPoint: s.endPoint,
      port: s.port,
      useSSL: s.useSSL,
      accessKey: s.accessKey,
      secretKey: s.secretKey,
      region: s.region,
      pathStyle: true,
      transportAgent: s.useSSL
        ? new https.Agent({ keepAlive: true, timeout: 15000 })
        : new http.Agent({ keepAlive: true, timeout: 15000 }),
    });
  }

  /** A non-guessable object key under a prefix: `documents/2026/11/<32 hex>`. */
  newKey(prefix: string): string {
    const now = new Date();
    const month = String(now.getUTCMonth() + 1).padStart(2, '0');
    return `${prefix}/${now.getUTCFullYear()}/${month}/${randomBytes(16).toString('hex')}`;
  }

  /**
   * Stores `body` under `key`; `sha256` (hex) when the caller already has it, else worked out
   * here. One PUT with a known length. The hash signs the request on plain HTTP
   * (`x-amz-content-sha256`, which the server checks against the body) instead of the client
   * hashing the bytes again, and an MD5 besides that the request does not need; over TLS the
   * payload goes unsigned, as the client sends it, with a `Content-MD5` the server checks.
   */
  async put(key: string, body: Buffer, contentType: string, sha256 = createHash('sha256').update(body).digest('hex')): Promise<StoredObject> {
    await this.guard('put', async () => {
      const signed = this.client.enableSHA256;
      const headers: Record<string, string | number> = { 'Content-Type': contentType, 'Content-Length': body.length, 'x-amz-meta-sha256': sha256 };
      if (!signed) headers['Content-MD5'] = createHash('md5').update(body).digest('base64');
      const res = await this.client.makeRequestStreamAsync({ method: 'PUT', bucketName: this.bucket, objectName: key, headers }, body, signed ? sha256 : '', [200], '');
      res.resume();
      await finished(res);
    });
    return { key, size: body.length, contentType, sha256 };
  }

  async get(key: string): Promise<Buffer> {
    const stream = await this.guard<Readable>('get', () => this.client.getObject(this.bucket, key));
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async remove(key: string): Promise<void> {
    await this.guard('remove', () => this.client.removeObject(this.bucket, key));
  }

  /** A short-lived GET link (default 5 minutes). */
  async presignedGetUrl(key: string, expirySeconds = 300, downloadName?: string): Promise<string> {
    const headers = downloadName
      ? { 'response-content-disposition': `attachment; filename="${encodeURIComponent(downloadName)}"` }
      : undefined;
    return this.guard('presign', () => this.client.presignedGetObject(this.bucket, key, expirySeconds, headers));
  }

  /** For readiness: the bucket answers. */
  async ping(timeoutMs = 2000): Promise<boolean> {
    return withTimeout(this.client.bucketExists(this.bucket), timeoutMs);
  }

  /** Creates the bucket when missing (CLI set-up and tests; compose creates it in production). */
  async ensureBucket(): Promise<void> {
    const exists = await this.guard('bucketExists', () => this.client.bucketExists(this.bucket));
    if (!exists) await this.guard('makeBucket', () => this.client.makeBucket(this.bucket));
  }

  private async guard<T>(op: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof DomainError) throw err;
      const code = (err as { code?: string }).code;
      if (code === 'NoSuchKey' || code === 'NotFound') throw CommonErrors.NOT_FOUND({ cause: err });
      this.logger.error({ err, op }, `object storage ${op} failed`);
      throw CommonErrors.STORAGE_UNAVAILABLE({ cause: err, retryAfterSeconds: 10 });
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

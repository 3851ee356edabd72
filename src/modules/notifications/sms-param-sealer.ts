import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** A secret template parameter as stored in the job payload. */
export interface SealedParam {
  sealed: string;
}

/** Template parameters as stored in the `sms.send` job payload. */
export type JobParams = Record<string, string | SealedParam>;

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts secret SMS parameters (one-time codes) for the job table with AES-256-GCM, so a
 * code never rests in clear in `job.payload` (backups, replicas, admin queries). The key is
 * derived with HKDF-SHA256 from the application's secret; the message id is the additional
 * authenticated data, so a sealed value only opens for the message it was sealed for.
 *
 * Sealed form: `v1.<iv>.<ciphertext>.<tag>` (base64url parts).
 */
export class SmsParamSealer {
  private readonly key: Buffer;

  constructor(secret: string) {
    if (!secret) throw new Error('SmsParamSealer needs a secret (OTP_HMAC_KEY or JWT_SECRET)');
    this.key = Buffer.from(hkdfSync('sha256', secret, 'qazvin/notifications', 'sms-job-params/v1', 32));
  }

  seal(value: string, messageId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(messageId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return [VERSION, iv, ciphertext, cipher.getAuthTag()]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** Throws when the value was tampered with, sealed for another message or with another key. */
  open(sealed: string, messageId: string): string {
    const [version, iv, ciphertext, tag, ...rest] = sealed.split('.');
    if (version !== VERSION || rest.length || !iv || ciphertext === undefined || !tag) {
      throw new Error('sealed SMS parameter has an unknown format');
    }
    const ivBytes = Buffer.from(iv, 'base64url');
    const tagBytes = Buffer.from(tag, 'base64url');
    if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) {
      throw new Error('sealed SMS parameter has an unknown format');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, ivBytes);
    decipher.setAAD(Buffer.from(messageId, 'utf8'));
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Seals the named parameters, keeps the others as they are. */
  sealParams(params: Readonly<Record<string, string>>, secretNames: ReadonlySet<string>, messageId: string): JobParams {
    return Object.fromEntries(
      Object.entries(params).map(([name, value]) => [name, secretNames.has(name) ? { sealed: this.seal(value, messageId) } : value]),
    );
  }

  /** Opens a job's parameters back to clear text. */
  openParams(params: Readonly<JobParams>, messageId: string): Record<string, string> {
    return Object.fromEntries(
      Object.entries(params).map(([name, value]) => [name, typeof value === 'string' ? value : this.open(value.sealed, messageId)]),
    );
  }
}

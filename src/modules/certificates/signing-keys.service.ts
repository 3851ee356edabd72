import { Inject, Injectable, Logger } from '@nestjs/common';
import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { OkpJwk, publicJwk } from './domain/jws';

/**
 * The Ed25519 key that signs answer certificates. From `CERT_SIGNING_KEY` (PKCS#8 PEM, a
 * secret of the environment) in production; without it a key is generated once and kept in
 * `DATA_DIR/cert-signing-key.pem` (mode 0600), like the embedded mode's JWT secret, so
 * certificates stay verifiable across restarts. Real PostgreSQL in production without the
 * variable is refused at start-up.
 */
@Injectable()
export class SigningKeysService {
  private readonly logger = new Logger(SigningKeysService.name);
  readonly privateKey: KeyObject;
  readonly jwk: OkpJwk;
  /** The current key first, then earlier keys still accepted (CERT_PREVIOUS_PUBLIC_KEYS). */
  readonly jwks: readonly OkpJwk[];
  private readonly publicKeys: Map<string, KeyObject>;

  constructor(@Inject(APP_CONFIG) config: ResolvedConfig) {
    this.privateKey = this.load(config);
    if (this.privateKey.asymmetricKeyType !== 'ed25519') throw new Error('CERT_SIGNING_KEY must be an Ed25519 key');
    this.jwk = publicJwk(this.privateKey);
    this.publicKeys = new Map([[this.jwk.kid, createPublicKey(this.privateKey)]]);
    const jwks = [this.jwk];
    for (const pem of splitPem(config.certificates.previousPublicKeysPem)) {
      const key = createPublicKey(pem);
      if (key.asymmetricKeyType !== 'ed25519') throw new Error('CERT_PREVIOUS_PUBLIC_KEYS must hold Ed25519 public keys');
      const jwk = publicJwk(key);
      if (this.publicKeys.has(jwk.kid)) continue;
      this.publicKeys.set(jwk.kid, key);
      jwks.push(jwk);
    }
    this.jwks = jwks;
  }

  get kid(): string {
    return this.jwk.kid;
  }

  /** Every public key a certificate may have been signed with, by `kid`. */
  keys(): ReadonlyMap<string, KeyObject> {
    return this.publicKeys;
  }

  private load(config: ResolvedConfig): KeyObject {
    const pem = config.certificates.signingKeyPem;
    if (pem) return createPrivateKey(pem);
    const file = join(config.dataDir, 'cert-signing-key.pem');
    if (existsSync(file)) return createPrivateKey(readFileSync(file, 'utf8'));
    const { privateKey } = generateKeyPairSync('ed25519');
    mkdirSync(config.dataDir, { recursive: true });
    try {
      // exclusive create: of several processes starting together, one key wins and all use it
      writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return createPrivateKey(readFileSync(file, 'utf8'));
      throw err;
    }
    this.logger.warn(`CERT_SIGNING_KEY is not set: generated a certificate signing key in ${file}`);
    return privateKey;
  }
}

/** The PEM blocks of a concatenation of SPKI public keys. */
function splitPem(text: string | undefined): string[] {
  return text ? (text.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? []) : [];
}

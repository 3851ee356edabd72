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
  private readonly publicKeys: Map<string, KeyObject>;

  constructor(@Inject(APP_CONFIG) config: ResolvedConfig) {
    this.privateKey = this.load(config);
    if (this.privateKey.asymmetricKeyType !== 'ed25519') throw new Error('CERT_SIGNING_KEY must be an Ed25519 key');
    this.jwk = publicJwk(this.privateKey);
    this.publicKeys = new Map([[this.jwk.kid, createPublicKey(this.privateKey)]]);
  }

  get kid(): string {
    return this.jwk.kid;
  }

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

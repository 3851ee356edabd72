import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ResolvedConfig } from '../../config/app-config';
import { SigningKeysService } from './signing-keys.service';

describe('SigningKeysService', () => {
  const configFor = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env }) as ResolvedConfig;

  it('generates a key once in DATA_DIR (mode 0600) and keeps it across restarts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cert-keys-'));
    const a = new SigningKeysService(configFor({ DATA_DIR: dir }));
    const b = new SigningKeysService(configFor({ DATA_DIR: dir }));
    expect(a.kid).toBe(b.kid);
    expect(statSync(join(dir, 'cert-signing-key.pem')).mode & 0o777).toBe(0o600);
  });

  it('uses CERT_SIGNING_KEY when set (with \\n escapes) and refuses other key types', () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const keys = new SigningKeysService(configFor({ DATA_DIR: mkdtempSync(join(tmpdir(), 'cert-keys-')), CERT_SIGNING_KEY: pem.replace(/\n/g, '\\n') }));
    expect(keys.jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => new SigningKeysService(configFor({ CERT_SIGNING_KEY: rsa }))).toThrow(/Ed25519/);
  });

  it('is required in production with a real database', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y', JWT_SECRET: 'x'.repeat(40) })).toThrow(/CERT_SIGNING_KEY/);
  });
});

import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ResolvedConfig } from '../../config/app-config';
import { signJws, verifyJws } from './domain/jws';
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

  it('after a rotation still publishes and accepts the previous keys (CERT_PREVIOUS_PUBLIC_KEYS)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cert-keys-'));
    const old = new SigningKeysService(configFor({ DATA_DIR: dir }));
    const jws = signJws({ number: '1405-1-000001' }, old.privateKey, old.kid);
    const oldPublic = createPublicKey(old.privateKey).export({ format: 'pem', type: 'spki' }).toString();
    const other = generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const fresh = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const rotated = new SigningKeysService(
      configFor({ DATA_DIR: dir, CERT_SIGNING_KEY: fresh, CERT_PREVIOUS_PUBLIC_KEYS: `${oldPublic}\n${other}` }),
    );
    expect(rotated.kid).not.toBe(old.kid);
    expect(rotated.jwks.map((k) => k.kid)).toEqual([rotated.kid, old.kid, expect.any(String)]);
    expect(verifyJws(jws, rotated.keys())).toMatchObject({ ok: true });
    // without the previous key the old letter no longer verifies
    const forgetful = new SigningKeysService(configFor({ DATA_DIR: dir, CERT_SIGNING_KEY: fresh }));
    expect(verifyJws(jws, forgetful.keys())).toMatchObject({ ok: false });
    expect(() => configFor({ CERT_PREVIOUS_PUBLIC_KEYS: 'not a key' })).toThrow(/CERT_PREVIOUS_PUBLIC_KEYS/);
  });

  it('is required in production with a real database', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y', JWT_SECRET: 'x'.repeat(40) })).toThrow(/CERT_SIGNING_KEY/);
  });
});

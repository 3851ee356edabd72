import { generateKeyPairSync } from 'node:crypto';
import { canonicalJson, publicJwk, signJws, verifyJws } from './jws';

describe('certificate JWS', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = publicJwk(privateKey);
  const keys = new Map([[jwk.kid, publicKey]]);

  it('writes canonical JSON with sorted keys and no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: null } })).toBe('{"a":{"c":null,"d":[1,"x"]},"b":1}');
    expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
  });

  it('publishes an OKP/Ed25519 JWK with an RFC 7638 thumbprint as kid', () => {
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(jwk.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('verifies a genuine JWS and refuses altered, forged and malformed ones', () => {
    const jws = signJws({ number: '1404-1-000001', name: 'علی' }, privateKey, jwk.kid);
    expect(verifyJws(jws, keys)).toMatchObject({ ok: true, payload: { number: '1404-1-000001', name: 'علی' } });
    const [h, p, s] = jws.split('.');
    const altered = Buffer.from(canonicalJson({ number: '1404-1-000002', name: 'علی' })).toString('base64url');
    expect(verifyJws(`${h}.${altered}.${s}`, keys)).toEqual({ ok: false, reason: 'bad_signature' });
    const other = generateKeyPairSync('ed25519').privateKey;
    expect(verifyJws(signJws({ number: 'x' }, other, jwk.kid), keys)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyJws(signJws({ number: 'x' }, other, 'nope'), keys)).toEqual({ ok: false, reason: 'unknown_key' });
    expect(verifyJws(`${h}.${p}`, keys).ok).toBe(false);
    expect(verifyJws('not a jws', keys).ok).toBe(false);
    expect(verifyJws(`${h}.%%%.${s}`, keys).ok).toBe(false);
  });
});

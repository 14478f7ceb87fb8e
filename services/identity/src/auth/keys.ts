import {
  type CryptoKey,
  calculateJwkThumbprint,
  exportJWK,
  importJWK,
  importPKCS8,
  type JSONWebKeySet,
  type JWK,
} from 'jose';

/** The ES256 key identity signs access tokens with. */
export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  /** The public half, as served in the JWKS. */
  publicJwk: JWK;
}

/**
 * A private P-256 key given as a PKCS8 PEM (`-----BEGIN PRIVATE KEY-----`),
 * as JWK JSON text, or as a JWK object. Its `kid` is the JWK's own or else
 * the RFC 7638 thumbprint of the public key.
 */
export type SigningKeyInput = string | JWK;

export async function importSigningKey(input: SigningKeyInput): Promise<SigningKey> {
  let privateKey: CryptoKey;
  let givenKid: string | undefined;
  if (typeof input === 'string' && input.trim().startsWith('-----BEGIN')) {
    privateKey = await importPKCS8(input.trim(), 'ES256', { extractable: true });
  } else {
    const jwk: JWK = typeof input === 'string' ? JSON.parse(input) : input;
    if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.d)
      throw new Error('The JWT key must be a private EC P-256 key (ES256).');
    givenKid = jwk.kid;
    privateKey = (await importJWK({ ...jwk, alg: 'ES256' }, 'ES256', { extractable: true })) as CryptoKey;
  }
  const { kty, crv, x, y } = await exportJWK(privateKey);
  const bare: JWK = { kty, crv, x, y } as JWK;
  const kid = givenKid ?? (await calculateJwkThumbprint(bare));
  return { kid, privateKey, publicJwk: { ...bare, kid, alg: 'ES256', use: 'sig' } };
}

/** The public keys other services verify access tokens with (`/.well-known/jwks.json`). */
export function jwksOf(...keys: SigningKey[]): JSONWebKeySet {
  return { keys: keys.map((k) => k.publicJwk) };
}

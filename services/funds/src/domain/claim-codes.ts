// Claim codes: 10 characters of Crockford base32 (no I, L, O, U), read aloud as
// `XXXXX-XXXXX`. Stored only as a keyed hash (to find the grant) and sealed
// with AES-256-GCM (so the referrer desk can retry an issue or print a batch).
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomInt } from 'node:crypto';

export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CLAIM_CODE_LENGTH = 10;
/** How many codes there are: 32^10 ≈ 1.1e15. */
export const CLAIM_CODE_SPACE = CROCKFORD_ALPHABET.length ** CLAIM_CODE_LENGTH;

/** A fresh code, each character drawn with the platform's cryptographic randomness. */
export function generateClaimCode(): string {
  let code = '';
  for (let i = 0; i < CLAIM_CODE_LENGTH; i++)
    code += CROCKFORD_ALPHABET[randomInt(CROCKFORD_ALPHABET.length)];
  return code;
}

/** `ABCDE12345` → `ABCDE-12345`, easier to read aloud and to type. */
export const formatClaimCode = (code: string) => `${code.slice(0, 5)}-${code.slice(5)}`;

const LOOKALIKES: Record<string, string> = { I: '1', L: '1', O: '0' };

/**
 * What a person typed → the canonical code, or null if it cannot be one.
 * Case, spaces and dashes do not matter; I and L read as 1, O as 0.
 */
export function normalizeClaimCode(input: string): string | null {
  if (input.length > 40) return null;
  const code = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[ILO]/g, (c) => LOOKALIKES[c]!);
  if (code.length !== CLAIM_CODE_LENGTH) return null;
  for (const c of code) if (!CROCKFORD_ALPHABET.includes(c)) return null;
  return code;
}

/** The keys derived from CLAIM_CODE_KEY: one to hash codes, one to seal them. */
export interface ClaimCodeKeys {
  hash(code: string): string;
  seal(code: string): string;
  /** null when the sealed text was tampered with or sealed with another key. */
  unseal(sealed: string): string | null;
}

export function claimCodeKeys(secret: string): ClaimCodeKeys {
  if (secret.length < 32) throw new Error('CLAIM_CODE_KEY must be at least 32 characters.');
  const derive = (purpose: string) =>
    Buffer.from(hkdfSync('sha256', secret, 'mentoring-funds', `claim-code-${purpose}`, 32));
  const hashKey = derive('hash');
  const sealKey = derive('seal');
  return {
    hash: (code) => createHmac('sha256', hashKey).update(code).digest('hex'),
    seal(code) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', sealKey, iv);
      const body = Buffer.concat([cipher.update(code, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), body]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    unseal(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', sealKey, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        return null;
      }
    },
  };
}

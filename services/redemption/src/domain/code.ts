import { randomInt } from 'node:crypto';

/** Crockford's base32 alphabet: no I, L, O or U, so codes read aloud and typed back safely. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_LENGTH = 8;

/** A random redemption code: 8 characters, 40 bits. */
export function newRedemptionCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/**
 * What a desk typed, in canonical form: upper case, hyphens and spaces
 * dropped, the look-alikes O → 0 and I/L → 1 mapped as Crockford reads them.
 * Undefined when it cannot be a code.
 */
export function normalizeRedemptionCode(typed: string): string | undefined {
  const code = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (code.length !== CODE_LENGTH) return undefined;
  for (const char of code) if (!ALPHABET.includes(char)) return undefined;
  return code;
}

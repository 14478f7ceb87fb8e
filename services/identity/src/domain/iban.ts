/** Removes spaces and uppercases, the form IBANs are stored and shown in. */
export function normalizeIban(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

const SHAPE = /^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/;

/**
 * ISO 13616 check: move the first four characters to the end, read letters
 * as numbers (A = 10 … Z = 35) and the whole must leave remainder 1 mod 97.
 * Expects a normalized IBAN.
 */
export function isValidIban(iban: string): boolean {
  if (!SHAPE.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = Number.parseInt(char, 36);
    // Letters become two digits, digits stay one: fold them in one at a time.
    remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder === 1;
}

/** Trim + lowercase: the one form an email address is stored and looked up in. */
export function normalizeEmail(input: string): string {
  return input.trim().toLowerCase();
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A plausible address (the real check is the mail that reaches it). */
export function isEmail(email: string): boolean {
  return email.length <= 254 && EMAIL.test(email);
}

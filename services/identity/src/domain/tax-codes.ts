/** Uppercase without spaces. */
export function normalizeTaxCode(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

/** An Italian codice fiscale (16 characters) or partita IVA (11 digits), by shape only. */
export function isTaxCode(taxCode: string): boolean {
  return /^[0-9]{11}$/.test(taxCode) || /^[A-Z0-9]{16}$/.test(taxCode);
}

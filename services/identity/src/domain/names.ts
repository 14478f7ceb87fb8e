/** Trims and collapses inner whitespace: how a name is stored and shown. */
export function tidyName(input: string): string {
  return input.trim().replace(/\s+/g, ' ');
}

/**
 * The form two spellings of the same name share, for deduplication:
 * tidy, lowercase, without accents, with one kind of apostrophe.
 * "  Nicolò  D’Angelo " and "nicolo d'angelo" give the same key.
 */
export function nameKey(input: string): string {
  return tidyName(input)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[’‘`´]/g, "'")
    .toLowerCase();
}

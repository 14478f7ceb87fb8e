import { describe, expect, it } from 'vitest';
import { ageOn, needsGuardian } from '../src/domain/age';
import { isValidIban, normalizeIban } from '../src/domain/iban';
import { nameKey, tidyName } from '../src/domain/names';
import { hashPassword, passwordProblem, verifyPassword } from '../src/domain/passwords';
import { isSlug } from '../src/domain/slugs';

describe('IBANs', () => {
  it('are stored without spaces and in uppercase', () => {
    expect(normalizeIban(' it60 x054 2811 1010 0000 0123 456 ')).toBe('IT60X0542811101000000123456');
  });

  it.each([
    'IT60X0542811101000000123456',
    'DE89370400440532013000',
    'GB82WEST12345698765432',
    'NL91ABNA0417164300',
  ])('accepts %s, whose mod-97 checksum is right', (iban) => {
    expect(isValidIban(iban)).toBe(true);
  });

  it.each([
    ['one mistyped digit', 'IT60X0542811101000000123457'],
    ['swapped check digits', 'IT06X0542811101000000123456'],
    ['too short', 'IT60X054'],
    ['not an IBAN at all', 'hello world'],
  ])('refuses %s', (_, iban) => {
    expect(isValidIban(iban)).toBe(false);
  });
});

describe('beneficiary names', () => {
  it('are shown tidy: trimmed, one space between words', () => {
    expect(tidyName('  Maria   Grazia ')).toBe('Maria Grazia');
  });

  it('match whatever the case, accents, spacing or apostrophe', () => {
    expect(nameKey('  Nicolò   D’Angelo ')).toBe(nameKey("nicolo d'angelo"));
    expect(nameKey('ÉLODIE')).toBe('elodie');
  });

  it('still tell different people apart', () => {
    expect(nameKey('Mario')).not.toBe(nameKey('Maria'));
  });
});

describe('ages', () => {
  it('count full years, turning on the birthday itself', () => {
    expect(ageOn('2012-06-15', '2026-06-14')).toBe(13);
    expect(ageOn('2012-06-15', '2026-06-15')).toBe(14);
    expect(ageOn('2012-02-29', '2026-02-28')).toBe(13);
  });

  it('make a guardian necessary below 14', () => {
    expect(needsGuardian('2012-06-15', '2026-06-14')).toBe(true);
    expect(needsGuardian('2012-06-15', '2026-06-15')).toBe(false);
  });
});

describe('passwords', () => {
  it('need at least 10 characters', () => {
    expect(passwordProblem('short')).toMatch(/at least 10 characters/);
    expect(passwordProblem('exactly10!')).toBeNull();
  });

  it('are hashed with argon2id and verified against the hash', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(hash, 'wrong horse battery')).toBe(false);
    expect(await verifyPassword('not a hash', 'anything')).toBe(false);
  });
});

describe('community slugs', () => {
  it.each(['vigevano', 'milano-2', '0-start'])('accept %s', (slug) => expect(isSlug(slug)).toBe(true));
  it.each(['Vigevano', '-dash', 'con spazio', ''])('refuse %j', (slug) => expect(isSlug(slug)).toBe(false));
});

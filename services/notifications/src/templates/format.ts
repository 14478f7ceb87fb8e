/** The languages messages are written in; Italian unless the recipient chose English. */
export type Locale = 'it' | 'en';

/** `en`, `en-GB`, `EN_us` → English; anything else → Italian. */
export const localeOf = (value: string | null | undefined): Locale =>
  value && /^en(?:[-_]|$)/i.test(value.trim()) ? 'en' : 'it';

const groupThousands = (digits: string, separator: string) =>
  digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);

/**
 * Euro from integer cents, without floating point: `8000` → "€ 80,00" (it)
 * or "€80.00" (en); `123456` → "€ 1.234,56" / "€1,234.56".
 */
export function money(cents: number, locale: Locale): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(cents));
  const euros = String(Math.floor(abs / 100));
  const rest = String(abs % 100).padStart(2, '0');
  return locale === 'it'
    ? `${sign}€ ${groupThousands(euros, '.')},${rest}`
    : `${sign}€${groupThousands(euros, ',')}.${rest}`;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A calendar date in words: "31 dicembre 2025" / "31 December 2025". Plain
 * dates are shown as given; date-times as the day they fall on in Italy.
 */
export function longDate(value: string, locale: Locale): string {
  const dateOnly = DATE_ONLY.test(value);
  const instant = new Date(dateOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(instant.getTime())) return value;
  return new Intl.DateTimeFormat(locale === 'it' ? 'it-IT' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: dateOnly ? 'UTC' : 'Europe/Rome',
  }).format(instant);
}

/** "1 riscatto" / "3 riscatti". */
export const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

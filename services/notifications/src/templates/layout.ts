import type { Recipient } from '../recipients';
import { escapeHtml, type Locale } from './format';

/** What a template says, as plain strings; the layout turns it into text and HTML (escaped). */
export interface Message {
  subject: string;
  greeting: string;
  paragraphs: string[];
  /** A code to show prominently (claim code, redemption code), exactly as given. */
  code?: { label: string; value: string };
  /** Paragraphs after the code. */
  after?: string[];
}

export type Compose<P> = (payload: P, to: Recipient) => Message;

/** One event type's message in each language. */
export interface Template<P> {
  it: Compose<P>;
  en: Compose<P>;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  locale: Locale;
}

const SIGNATURE: Record<Locale, { team: string; automatic: string }> = {
  it: {
    team: 'Il team di Mentoring',
    automatic: 'Questa email è stata inviata automaticamente: non rispondere.',
  },
  en: { team: 'The Mentoring team', automatic: 'This email was sent automatically; please do not reply.' },
};

export function render<P>(template: Template<P>, payload: P, to: Recipient): RenderedMessage {
  const locale = to.locale;
  const message = template[locale](payload, to);
  const signature = SIGNATURE[locale];
  const after = message.after ?? [];

  const text = [
    message.greeting,
    ...message.paragraphs,
    ...(message.code ? [`${message.code.label}: ${message.code.value}`] : []),
    ...after,
    `${signature.team}\n--\n${signature.automatic}`,
  ].join('\n\n');

  const p = (line: string) => `<p>${escapeHtml(line)}</p>`;
  const code = message.code
    ? `<p>${escapeHtml(message.code.label)}:<br><strong style="font-family:monospace;font-size:1.4em;letter-spacing:0.1em">${escapeHtml(message.code.value)}</strong></p>`
    : '';
  const html = [
    '<!doctype html>',
    `<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(message.subject)}</title></head>`,
    '<body style="font-family:sans-serif;line-height:1.5;color:#222">',
    p(message.greeting),
    ...message.paragraphs.map(p),
    code,
    ...after.map(p),
    p(signature.team),
    `<p style="color:#777;font-size:0.85em">${escapeHtml(signature.automatic)}</p>`,
    '</body></html>',
  ]
    .filter(Boolean)
    .join('\n');

  return { subject: message.subject, text: `${text}\n`, html: `${html}\n`, locale };
}

/** "Gentile Istituto Costa," / "Dear Istituto Costa,"; a neutral greeting without a name. */
export const greet = (to: Recipient, locale: Locale, fallback?: string) => {
  const name = to.name ?? fallback;
  if (locale === 'it') return name ? `Ciao ${name},` : 'Ciao,';
  return name ? `Hello ${name},` : 'Hello,';
};

export const greetOrganization = (to: Recipient, locale: Locale) =>
  locale === 'it' ? `Gentile ${to.name ?? 'ente'},` : `Dear ${to.name ?? 'partner'},`;

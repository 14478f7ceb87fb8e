import { describe, expect, it } from 'vitest';
import { type EventType, eventPayloads } from '../src/events';
import { mailDomain, stableMessageId } from '../src/mailer';
import type { Recipient } from '../src/recipients';
import { renderEvent, templates } from '../src/templates';
import { escapeHtml, localeOf, longDate, money } from '../src/templates/format';
import { catalogue } from './helpers/fixtures';

const holder = (locale: 'it' | 'en'): Recipient => ({
  address: 'x@example.org',
  name: 'Giulia',
  locale,
  role: 'user',
});

describe('formatting', () => {
  it('formats euro from integer cents, Italian and English', () => {
    expect(money(8000, 'it')).toBe('€ 80,00');
    expect(money(8000, 'en')).toBe('€80.00');
    expect(money(5, 'it')).toBe('€ 0,05');
    expect(money(123456789, 'it')).toBe('€ 1.234.567,89');
    expect(money(123456789, 'en')).toBe('€1,234,567.89');
    expect(money(-2550, 'en')).toBe('-€25.50');
  });

  it('writes dates in words; date-times as the day in Italy', () => {
    expect(longDate('2025-06-30', 'it')).toBe('30 giugno 2025');
    expect(longDate('2025-06-30', 'en')).toBe('30 June 2025');
    expect(longDate('2025-06-30T22:30:00Z', 'it')).toBe('1 luglio 2025');
  });

  it('picks English only for en locales', () => {
    expect(['en', 'en-GB', 'EN_us', 'it', 'fr', '', undefined].map(localeOf)).toEqual([
      'en',
      'en',
      'en',
      'it',
      'it',
      'it',
      'it',
    ]);
  });

  it('escapes HTML', () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;',
    );
  });

  it('derives a stable Message-ID from event id and recipient', () => {
    const domain = mailDomain('Mentoring <noreply@Mentoring.test>');
    expect(domain).toBe('mentoring.test');
    expect(stableMessageId('e1', 'a@b.c', domain)).toBe(stableMessageId('e1', 'a@b.c', domain));
    expect(stableMessageId('e1', 'a@b.c', domain)).not.toBe(stableMessageId('e1', 'd@b.c', domain));
    expect(stableMessageId('e2', 'a@b.c', domain)).not.toBe(stableMessageId('e1', 'a@b.c', domain));
  });
});

describe('templates', () => {
  it('has one template for every event type of the catalogue', () => {
    expect(Object.keys(templates).sort()).toEqual(Object.keys(eventPayloads).sort());
    expect(catalogue.map((e) => e.type).sort()).toEqual(Object.keys(eventPayloads).sort());
  });

  for (const entry of catalogue) {
    it(`renders ${entry.type} in Italian and English, text and escaped HTML`, () => {
      const event = {
        id: 'e',
        type: entry.type as EventType,
        payload: eventPayloads[entry.type].parse(entry.payload),
        occurredAt: '2025-01-01T00:00:00Z',
      };
      const it = renderEvent(event, holder('it'));
      const en = renderEvent(event, holder('en'));
      expect(it.subject).toBe(entry.subject);
      expect(it.text).toContain(entry.says);
      expect(it.html).toContain('<html lang="it">');
      expect(en.html).toContain('<html lang="en">');
      expect(en.subject).not.toBe(it.subject);
      expect(en.text).toMatch(/€\d/);
      expect(en.text).not.toContain('€ ');
      for (const rendered of [it, en]) {
        expect(rendered.text).not.toMatch(/undefined|NaN|\[object/);
        expect(rendered.html).not.toMatch(/undefined|NaN|\[object/);
      }
    });
  }

  it('shows codes exactly as given and escapes them in HTML', () => {
    const event = {
      id: 'e',
      type: 'redemption.authorized' as const,
      payload: { redemptionId: 'r', providerId: 'p', offeringTitle: 'A & B', amountCents: 1, code: 'ab<1>' },
      occurredAt: '2025-01-01T00:00:00Z',
    };
    const rendered = renderEvent(event, {
      address: 'p@x.org',
      name: 'Costa',
      locale: 'it',
      role: 'organization',
    });
    expect(rendered.text).toContain('Codice di riscatto: ab<1>');
    expect(rendered.html).toContain('ab&lt;1&gt;');
    expect(rendered.html).toContain('«A &amp; B»');
  });
});

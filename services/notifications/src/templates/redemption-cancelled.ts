import type { PayloadOf } from '../events';
import { money } from './format';
import { greet, type Template } from './layout';

/** To the holder, when the purchase was cancelled before validation (by them or the provider). */
export const redemptionCancelled: Template<PayloadOf<'redemption.cancelled'>> = {
  it: (p, to) => ({
    subject: `Acquisto annullato: ${p.offeringTitle}`,
    greeting: greet(to, 'it'),
    paragraphs: [
      `l'acquisto di «${p.offeringTitle}» è stato annullato.`,
      `I ${money(p.amountCents, 'it')} riservati sono di nuovo disponibili sulla tua borsa.`,
    ],
  }),
  en: (p, to) => ({
    subject: `Purchase cancelled: ${p.offeringTitle}`,
    greeting: greet(to, 'en'),
    paragraphs: [
      `the purchase of “${p.offeringTitle}” has been cancelled.`,
      `The ${money(p.amountCents, 'en')} set aside is available on your grant again.`,
    ],
  }),
};

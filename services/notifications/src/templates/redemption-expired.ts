import type { PayloadOf } from '../events';
import { money } from './format';
import { greet, type Template } from './layout';

/** To the holder, when the provider did not validate the purchase in time. */
export const redemptionExpired: Template<PayloadOf<'redemption.expired'>> = {
  it: (p, to) => ({
    subject: `Acquisto scaduto: ${p.offeringTitle}`,
    greeting: greet(to, 'it'),
    paragraphs: [
      `l'acquisto di «${p.offeringTitle}» non è stato convalidato in tempo ed è scaduto.`,
      `I ${money(p.amountCents, 'it')} riservati sono di nuovo disponibili sulla tua borsa.`,
    ],
  }),
  en: (p, to) => ({
    subject: `Purchase expired: ${p.offeringTitle}`,
    greeting: greet(to, 'en'),
    paragraphs: [
      `the purchase of “${p.offeringTitle}” was not validated in time and has expired.`,
      `The ${money(p.amountCents, 'en')} set aside is available on your grant again.`,
    ],
  }),
};

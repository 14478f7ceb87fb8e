import type { PayloadOf } from '../events';
import { money } from './format';
import { greet, type Template } from './layout';

/** To the holder, once the provider validated the purchase. */
export const redemptionConfirmed: Template<PayloadOf<'redemption.confirmed'>> = {
  it: (p, to) => ({
    subject: `Acquisto confermato: ${p.offeringTitle}`,
    greeting: greet(to, 'it'),
    paragraphs: [
      `l'ente ha convalidato il tuo acquisto di «${p.offeringTitle}».`,
      `Dalla tua borsa sono stati addebitati ${money(p.amountCents, 'it')}. Buon divertimento!`,
    ],
  }),
  en: (p, to) => ({
    subject: `Purchase confirmed: ${p.offeringTitle}`,
    greeting: greet(to, 'en'),
    paragraphs: [
      `the provider has validated your purchase of “${p.offeringTitle}”.`,
      `${money(p.amountCents, 'en')} was charged to your grant. Enjoy!`,
    ],
  }),
};

import type { PayloadOf } from '../events';
import { money } from './format';
import { greetOrganization, type Template } from './layout';

/** To the provider organization: a holder bought an offering and will show this code at the desk. */
export const redemptionAuthorized: Template<PayloadOf<'redemption.authorized'>> = {
  it: (p, to) => ({
    subject: `Nuovo acquisto con borsa: ${p.offeringTitle}`,
    greeting: greetOrganization(to, 'it'),
    paragraphs: [
      `è stato autorizzato l'acquisto di «${p.offeringTitle}» per ${money(p.amountCents, 'it')}, pagato con una borsa Mentoring.`,
    ],
    code: { label: 'Codice di riscatto', value: p.code },
    after: [
      "Convalidate il codice dallo sportello Mentoring quando il ragazzo si presenta: l'importo vi sarà liquidato.",
    ],
  }),
  en: (p, to) => ({
    subject: `New grant purchase: ${p.offeringTitle}`,
    greeting: greetOrganization(to, 'en'),
    paragraphs: [
      `a purchase of “${p.offeringTitle}” for ${money(p.amountCents, 'en')}, paid with a Mentoring grant, has been authorized.`,
    ],
    code: { label: 'Redemption code', value: p.code },
    after: [
      'Validate the code at the Mentoring provider desk when the young person comes in: the amount will be paid out to you.',
    ],
  }),
};

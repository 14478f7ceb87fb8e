import type { PayloadOf } from '../events';
import { money } from './format';
import { greetOrganization, type Template } from './layout';

/** To the sponsor organization, once its contribution reached the fund. */
export const contributionReceived: Template<PayloadOf<'contribution.received'>> = {
  it: (p, to) => ({
    subject: `Contributo ricevuto: ${money(p.amountCents, 'it')} per ${p.fundName}`,
    greeting: greetOrganization(to, 'it'),
    paragraphs: [
      `abbiamo ricevuto il vostro contributo di ${money(p.amountCents, 'it')} al fondo «${p.fundName}».`,
      'Grazie: da oggi questa somma può diventare borse di studio per i ragazzi del territorio.',
    ],
  }),
  en: (p, to) => ({
    subject: `Contribution received: ${money(p.amountCents, 'en')} for ${p.fundName}`,
    greeting: greetOrganization(to, 'en'),
    paragraphs: [
      `we have received your contribution of ${money(p.amountCents, 'en')} to the fund “${p.fundName}”.`,
      'Thank you: from today this money can become grants for young people in your community.',
    ],
  }),
};

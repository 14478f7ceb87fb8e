import type { PayloadOf } from '../events';
import { money } from './format';
import { greetOrganization, type Template } from './layout';

/** To the provider organization, once the bank confirmed the transfer. */
export const payoutPaid: Template<PayloadOf<'payout.paid'>> = {
  it: (p, to) => ({
    subject: `Bonifico eseguito: ${money(p.amountCents, 'it')}`,
    greeting: greetOrganization(to, 'it'),
    paragraphs: [`il bonifico di ${money(p.amountCents, 'it')} a vostro favore è stato eseguito.`],
    code: { label: 'Riferimento bancario', value: p.bankReference },
  }),
  en: (p, to) => ({
    subject: `Payout paid: ${money(p.amountCents, 'en')}`,
    greeting: greetOrganization(to, 'en'),
    paragraphs: [`the bank transfer of ${money(p.amountCents, 'en')} to you has been made.`],
    code: { label: 'Bank reference', value: p.bankReference },
  }),
};

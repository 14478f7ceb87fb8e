import type { PayloadOf } from '../events';
import { count, longDate, money } from './format';
import { greetOrganization, type Template } from './layout';

/** To the provider organization, once a settlement run with its payout was approved. */
export const payoutApproved: Template<PayloadOf<'payout.approved'>> = {
  it: (p, to) => ({
    subject: `Liquidazione approvata: ${money(p.amountCents, 'it')}`,
    greeting: greetOrganization(to, 'it'),
    paragraphs: [
      `è stata approvata una liquidazione di ${money(p.amountCents, 'it')} per ${count(p.redemptionCount, 'riscatto convalidato', 'riscatti convalidati')} fino al ${longDate(p.periodEnd, 'it')}.`,
      "Il bonifico sarà disposto a breve sull'IBAN registrato.",
    ],
  }),
  en: (p, to) => ({
    subject: `Payout approved: ${money(p.amountCents, 'en')}`,
    greeting: greetOrganization(to, 'en'),
    paragraphs: [
      `a payout of ${money(p.amountCents, 'en')} for ${count(p.redemptionCount, 'validated redemption', 'validated redemptions')} up to ${longDate(p.periodEnd, 'en')} has been approved.`,
      'The bank transfer to your registered IBAN will be made shortly.',
    ],
  }),
};

import type { PayloadOf } from '../events';
import { money } from './format';
import { greet, type Template } from './layout';

/** To the holder, once the claim code was accepted. */
export const grantClaimed: Template<PayloadOf<'grant.claimed'>> = {
  it: (p, to) => ({
    subject: `La tua borsa «${p.programName}» è attiva`,
    greeting: greet(to, 'it'),
    paragraphs: [
      `la borsa del programma «${p.programName}» ora è tua.`,
      `Saldo disponibile: ${money(p.balanceCents, 'it')}. Puoi usarlo per le offerte ammesse dal programma.`,
    ],
  }),
  en: (p, to) => ({
    subject: `Your “${p.programName}” grant is active`,
    greeting: greet(to, 'en'),
    paragraphs: [
      `the grant of the “${p.programName}” programme is now yours.`,
      `Available balance: ${money(p.balanceCents, 'en')}. You can spend it on the offerings the programme allows.`,
    ],
  }),
};

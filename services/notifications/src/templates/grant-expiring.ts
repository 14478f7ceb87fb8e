import type { PayloadOf } from '../events';
import { longDate, money } from './format';
import { greet, type Template } from './layout';

/** To the holder, seven days before the grant expires. */
export const grantExpiring: Template<PayloadOf<'grant.expiring'>> = {
  it: (p, to) => ({
    subject: `La tua borsa «${p.programName}» scade il ${longDate(p.expiresAt, 'it')}`,
    greeting: greet(to, 'it'),
    paragraphs: [
      `sulla borsa del programma «${p.programName}» restano ${money(p.balanceCents, 'it')}, da usare entro il ${longDate(p.expiresAt, 'it')}.`,
      'Dopo quella data il saldo non usato torna al programma.',
    ],
  }),
  en: (p, to) => ({
    subject: `Your “${p.programName}” grant expires on ${longDate(p.expiresAt, 'en')}`,
    greeting: greet(to, 'en'),
    paragraphs: [
      `your “${p.programName}” grant still holds ${money(p.balanceCents, 'en')}, to be used by ${longDate(p.expiresAt, 'en')}.`,
      'After that date the unused balance returns to the programme.',
    ],
  }),
};

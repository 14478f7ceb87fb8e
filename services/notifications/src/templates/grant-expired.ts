import type { PayloadOf } from '../events';
import { money } from './format';
import { greet, type Template } from './layout';

/** To the holder (only grants that were claimed have one) once the grant expired. */
export const grantExpired: Template<PayloadOf<'grant.expired'>> = {
  it: (p, to) => ({
    subject: `La tua borsa «${p.programName}» è scaduta`,
    greeting: greet(to, 'it'),
    paragraphs: [
      `la borsa del programma «${p.programName}» è scaduta.`,
      p.returnedCents > 0
        ? `Il saldo non usato, ${money(p.returnedCents, 'it')}, è tornato al programma e aiuterà altri ragazzi.`
        : 'La borsa era stata usata per intero: grazie per averne approfittato.',
    ],
  }),
  en: (p, to) => ({
    subject: `Your “${p.programName}” grant has expired`,
    greeting: greet(to, 'en'),
    paragraphs: [
      `the grant of the “${p.programName}” programme has expired.`,
      p.returnedCents > 0
        ? `The unused balance, ${money(p.returnedCents, 'en')}, went back to the programme to help other young people.`
        : 'The grant had been fully used: we are glad it was useful.',
    ],
  }),
};

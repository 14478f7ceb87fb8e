import type { PayloadOf } from '../events';
import { longDate, money } from './format';
import type { Template } from './layout';

/** To the address (and the guardian's) given when the grant was issued: the one-time claim code. */
export const grantIssued: Template<PayloadOf<'grant.issued'>> = {
  it: (p, to) => {
    const guardian = to.role === 'guardian';
    return {
      subject: guardian
        ? `Una borsa Mentoring di ${money(p.amountCents, 'it')} per ${p.beneficiaryFirstName}`
        : `Hai ricevuto una borsa Mentoring di ${money(p.amountCents, 'it')}`,
      greeting: guardian ? 'Gentile genitore o tutore,' : `Ciao ${p.beneficiaryFirstName},`,
      paragraphs: [
        guardian
          ? `${p.beneficiaryFirstName} ha ricevuto una borsa di ${money(p.amountCents, 'it')} del programma «${p.programName}».`
          : `hai ricevuto una borsa di ${money(p.amountCents, 'it')} del programma «${p.programName}».`,
        guardian
          ? 'Per attivarla, registratevi su Mentoring e inserite il codice qui sotto. Se ha meno di 14 anni, deve farlo un genitore o tutore.'
          : 'Per attivarla, registrati su Mentoring e inserisci il codice qui sotto.',
      ],
      code: { label: 'Codice', value: p.claimCode },
      after: [
        `Il codice vale fino al ${longDate(p.expiresAt, 'it')}. Conservalo: viene inviato solo in questa email.`,
      ],
    };
  },
  en: (p, to) => {
    const guardian = to.role === 'guardian';
    return {
      subject: guardian
        ? `A Mentoring grant of ${money(p.amountCents, 'en')} for ${p.beneficiaryFirstName}`
        : `You have received a Mentoring grant of ${money(p.amountCents, 'en')}`,
      greeting: guardian ? 'Dear parent or guardian,' : `Hello ${p.beneficiaryFirstName},`,
      paragraphs: [
        guardian
          ? `${p.beneficiaryFirstName} has received a grant of ${money(p.amountCents, 'en')} from the “${p.programName}” programme.`
          : `you have received a grant of ${money(p.amountCents, 'en')} from the “${p.programName}” programme.`,
        guardian
          ? 'To activate it, sign up to Mentoring and enter the code below. Under 14, a parent or guardian must do this.'
          : 'To activate it, sign up to Mentoring and enter the code below.',
      ],
      code: { label: 'Code', value: p.claimCode },
      after: [
        `The code is valid until ${longDate(p.expiresAt, 'en')}. Keep it: it is sent only in this email.`,
      ],
    };
  },
};

import type { OrganizationContact, UserContact } from '../../src/recipients';

export const users: UserContact[] = [
  { id: 'user-giulia', email: 'giulia@example.org', displayName: 'Giulia', locale: 'it' },
  { id: 'user-sam', email: 'Sam@Example.org', displayName: 'Sam', locale: 'en' },
];

export const organizations: Array<OrganizationContact & Record<string, unknown>> = [
  {
    id: 'org-fondazione',
    name: 'Fondazione Vigevano',
    email: 'fondazione@example.org',
    communityId: 'c1',
    kind: 'SPONSOR',
    iban: null,
  },
  {
    id: 'org-costa',
    name: 'Istituto Musicale Costa',
    email: 'segreteria@costa.example.org',
    communityId: 'c1',
    kind: 'PROVIDER',
    iban: 'IT60X0542811101000000123456',
  },
  { id: 'org-silent', name: 'Senza Email', email: null, communityId: 'c1', kind: 'PROVIDER', iban: null },
];

export const directory = { users, organizations };

/** One event of every type in docs/events.md, with who should get it and a phrase the message must contain. */
export const catalogue = [
  {
    type: 'contribution.received',
    payload: {
      contributionId: 'contrib-1',
      fundId: 'fund-1',
      fundName: 'Fondo Vigevano',
      sponsorOrganizationId: 'org-fondazione',
      amountCents: 150000,
    },
    to: 'fondazione@example.org',
    subject: 'Contributo ricevuto: € 1.500,00 per Fondo Vigevano',
    says: 'contributo di € 1.500,00 al fondo «Fondo Vigevano»',
  },
  {
    type: 'grant.issued',
    payload: {
      grantId: 'grant-1',
      programName: 'Mentoring 2.1',
      amountCents: 8000,
      claimCode: '7KQ2-M9XW4',
      expiresAt: '2025-06-30',
      email: 'luca@example.org',
      beneficiaryFirstName: 'Luca',
    },
    to: 'luca@example.org',
    subject: 'Hai ricevuto una borsa Mentoring di € 80,00',
    says: '7KQ2-M9XW4',
  },
  {
    type: 'grant.claimed',
    payload: {
      grantId: 'grant-1',
      programName: 'Mentoring 2.1',
      holderUserId: 'user-giulia',
      balanceCents: 8000,
    },
    to: 'giulia@example.org',
    subject: 'La tua borsa «Mentoring 2.1» è attiva',
    says: 'Saldo disponibile: € 80,00',
  },
  {
    type: 'grant.expiring',
    payload: {
      grantId: 'grant-1',
      programName: 'Mentoring 2.1',
      holderUserId: 'user-giulia',
      balanceCents: 2550,
      expiresAt: '2025-06-30T21:59:59.000Z',
    },
    to: 'giulia@example.org',
    subject: 'La tua borsa «Mentoring 2.1» scade il 30 giugno 2025',
    says: 'restano € 25,50',
  },
  {
    type: 'grant.expired',
    payload: {
      grantId: 'grant-1',
      programName: 'Mentoring 2.1',
      holderUserId: 'user-giulia',
      returnedCents: 2550,
    },
    to: 'giulia@example.org',
    subject: 'La tua borsa «Mentoring 2.1» è scaduta',
    says: '€ 25,50',
  },
  {
    type: 'redemption.authorized',
    payload: {
      redemptionId: 'red-1',
      providerId: 'org-costa',
      offeringTitle: 'Iscrizione annuale 2024/25',
      amountCents: 8000,
      code: 'H7P3QX2M',
    },
    to: 'segreteria@costa.example.org',
    subject: 'Nuovo acquisto con borsa: Iscrizione annuale 2024/25',
    says: 'H7P3QX2M',
  },
  {
    type: 'redemption.confirmed',
    payload: {
      redemptionId: 'red-1',
      holderUserId: 'user-giulia',
      offeringTitle: 'Iscrizione annuale 2024/25',
      amountCents: 8000,
    },
    to: 'giulia@example.org',
    subject: 'Acquisto confermato: Iscrizione annuale 2024/25',
    says: 'addebitati € 80,00',
  },
  {
    type: 'redemption.cancelled',
    payload: {
      redemptionId: 'red-2',
      holderUserId: 'user-giulia',
      offeringTitle: 'Corso di teatro',
      amountCents: 4000,
    },
    to: 'giulia@example.org',
    subject: 'Acquisto annullato: Corso di teatro',
    says: 'I € 40,00 riservati',
  },
  {
    type: 'redemption.expired',
    payload: {
      redemptionId: 'red-3',
      holderUserId: 'user-giulia',
      offeringTitle: 'Corso di danza',
      amountCents: 3000,
    },
    to: 'giulia@example.org',
    subject: 'Acquisto scaduto: Corso di danza',
    says: 'non è stato convalidato in tempo',
  },
  {
    type: 'payout.approved',
    payload: {
      payoutId: 'payout-1',
      providerId: 'org-costa',
      amountCents: 24000,
      redemptionCount: 3,
      periodEnd: '2025-03-31',
    },
    to: 'segreteria@costa.example.org',
    subject: 'Liquidazione approvata: € 240,00',
    says: '3 riscatti convalidati fino al 31 marzo 2025',
  },
  {
    type: 'payout.paid',
    payload: {
      payoutId: 'payout-1',
      providerId: 'org-costa',
      amountCents: 24000,
      bankReference: 'SEPA-2025-0001',
    },
    to: 'segreteria@costa.example.org',
    subject: 'Bonifico eseguito: € 240,00',
    says: 'SEPA-2025-0001',
  },
] as const;

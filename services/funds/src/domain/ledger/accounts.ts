/**
 * Ledger accounts. Fund, program and grant accounts hold money and are
 * protected: their available balance (credits posted − debits posted − debits
 * pending) never goes below zero. Sponsor accounts (where money comes from)
 * and `payouts` (where it leaves to the bank) are external and go negative by
 * design; provider accounts are payables (what we owe a provider).
 */
export type AccountKind = 'SPONSOR' | 'FUND' | 'PROGRAM' | 'GRANT' | 'PROVIDER' | 'PAYOUTS';

export interface AccountRef {
  id: string;
  kind: AccountKind;
}

export const PROTECTED_KINDS: ReadonlySet<AccountKind> = new Set(['FUND', 'PROGRAM', 'GRANT']);

export const isProtected = (kind: AccountKind) => PROTECTED_KINDS.has(kind);

export const account = {
  sponsor: (organizationId: string): AccountRef => ({ id: `sponsor:${organizationId}`, kind: 'SPONSOR' }),
  fund: (fundId: string): AccountRef => ({ id: `fund:${fundId}`, kind: 'FUND' }),
  program: (programId: string): AccountRef => ({ id: `program:${programId}`, kind: 'PROGRAM' }),
  grant: (grantId: string): AccountRef => ({ id: `grant:${grantId}`, kind: 'GRANT' }),
  provider: (organizationId: string): AccountRef => ({ id: `provider:${organizationId}`, kind: 'PROVIDER' }),
  payouts: (): AccountRef => ({ id: 'payouts', kind: 'PAYOUTS' }),
};

/** What a transfer is for; stored on the transfer, used by reports. */
export type TransferKind =
  | 'CONTRIBUTION' // sponsor → fund
  | 'PROGRAM_BUDGET' // fund → program
  | 'GRANT_ISSUE' // program → grant
  | 'GRANT_RETURN' // grant → program (expiry, revocation)
  | 'PAYMENT' // grant → provider, pending (an authorization)
  | 'CAPTURE' // resolves a PAYMENT: posted for at most its amount
  | 'VOID' // resolves a PAYMENT: released in full
  | 'REFUND' // provider → grant, gives a captured payment back
  | 'PAYOUT' // provider → payouts (settlement approved)
  | 'PAYOUT_RETURN'; // payouts → provider (the bank transfer failed; reverses the PAYOUT)

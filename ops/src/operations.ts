// The GraphQL documents the ops CLI and dashboard send: fixed texts with
// variables (the gateway caches query plans by exact text). Settlement ones
// follow the contract in shared/contract/operations.graphql.

export const LOG_IN = `mutation LogIn($email: String!, $password: String!) {
  logIn(email: $email, password: $password) { token refreshToken user { id email } }
}`;

export const REFRESH_TOKEN = `mutation RefreshToken($refreshToken: String!) {
  refreshToken(refreshToken: $refreshToken) { token refreshToken }
}`;

export const ME = 'query Me { me { id email roles } }';

export const COMMUNITIES = 'query Communities { communities { id slug } }';

export const RUN_SETTLEMENT = `mutation RunSettlement($input: RunSettlementInput!) {
  runSettlement(input: $input) { id status periodEnd }
}`;

export const APPROVE_SETTLEMENT_RUN = `mutation ApproveSettlementRun($id: ID!) {
  approveSettlementRun(id: $id) { id status }
}`;

export const SETTLEMENT_RUN = `query SettlementRun($id: ID!) {
  settlementRun(id: $id) {
    id status periodEnd totalCents
    payouts { id status amountCents redemptionCount provider { id name } }
  }
}`;

export const SETTLEMENT_EXPORT = `query SettlementExport($id: ID!) {
  settlementRun(id: $id) { id status sepaXml csv }
}`;

export const MARK_PAYOUT_PAID = `mutation MarkPayoutPaid($id: ID!, $bankReference: String!) {
  markPayoutPaid(id: $id, bankReference: $bankReference) { id status }
}`;

export const LEDGER_CHECK = 'query LedgerCheck { ledgerCheck { ok invariants { name ok details } } }';

export interface AuthPayload {
  token: string;
  refreshToken: string;
}

export interface Payout {
  id: string;
  status: string;
  amountCents: number;
  redemptionCount: number;
  provider: { id: string; name: string } | null;
}

export interface SettlementRun {
  id: string;
  status: 'QUEUED' | 'RUNNING' | 'PENDING_APPROVAL' | 'APPROVED' | 'FAILED';
  periodEnd: string;
  totalCents: number;
  payouts: Payout[];
}

export interface LedgerCheck {
  ok: boolean;
  invariants: Array<{ name: string; ok: boolean; details: string | null }>;
}

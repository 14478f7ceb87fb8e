// The public contract's documents (shared/contract/operations.graphql) the
// journey test sends through the gateway, exactly as frontends send them.

export const SIGN_UP = `mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) { token refreshToken user { id email displayName } }
}`;

export const LOG_IN = `mutation LogIn($email: String!, $password: String!) {
  logIn(email: $email, password: $password) { token refreshToken user { id email } }
}`;

export const CREATE_COMMUNITY = `mutation CreateCommunity($input: CreateCommunityInput!) {
  createCommunity(input: $input) { id name slug }
}`;

export const CREATE_ORGANIZATION = `mutation CreateOrganization($input: CreateOrganizationInput!) {
  createOrganization(input: $input) { id name kind community { id slug } }
}`;

export const ADD_MEMBER = `mutation AddMember($input: AddMemberInput!) {
  addMember(input: $input) { role user { id email } organization { id } }
}`;

export const GRANT_OPERATOR = `mutation GrantOperator($userId: ID!) {
  grantOperator(userId: $userId) { id roles }
}`;

export const CREATE_FUND = `mutation CreateFund($input: CreateFundInput!) {
  createFund(input: $input) { id name balanceCents community { id } }
}`;

export const RECORD_CONTRIBUTION = `mutation RecordContribution($input: RecordContributionInput!) {
  recordContribution(input: $input) {
    id status amountCents sponsor { id name } fund { id }
  }
}`;

export const CONFIRM_CONTRIBUTION = `mutation ConfirmContribution($id: ID!) {
  confirmContribution(id: $id) { id status fund { id balanceCents } }
}`;

export const CREATE_PROGRAM = `mutation CreateProgram($input: CreateProgramInput!) {
  createProgram(input: $input) {
    id name grantAmountCents budgetCents remainingBudgetCents spendDeadline
    fund { id balanceCents }
  }
}`;

export const ISSUE_GRANT = `mutation IssueGrant($input: IssueGrantInput!) {
  issueGrant(input: $input) {
    claimCode
    grant {
      id status amountCents balanceCents expiresAt
      program { id name }
      beneficiary { id firstName lastName }
    }
  }
}`;

export const CLAIM_GRANT = `mutation ClaimGrant($code: String!, $guardianConsent: Boolean) {
  claimGrant(code: $code, guardianConsent: $guardianConsent) {
    id status balanceCents
    program { id name }
  }
}`;

export const CREATE_OFFERING = `mutation CreateOffering($input: CreateOfferingInput!) {
  createOffering(input: $input) {
    id title status priceCents category capacity seatsLeft provider { id name }
  }
}`;

export const PUBLISH_OFFERING = `mutation PublishOffering($id: ID!) {
  publishOffering(id: $id) { id status }
}`;

export const REDEEM = `mutation Redeem($input: RedeemInput!) {
  redeem(input: $input) {
    id status amountCents code
    offering { id title seatsLeft }
    grant { id balanceCents }
  }
}`;

export const VALIDATE_REDEMPTION = `mutation ValidateRedemption($code: String!, $amountCents: Int) {
  validateRedemption(code: $code, amountCents: $amountCents) {
    id status amountCents offering { id title }
  }
}`;

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

export const MARK_PAYOUT_PAID = `mutation MarkPayoutPaid($id: ID!, $bankReference: String!) {
  markPayoutPaid(id: $id, bankReference: $bankReference) { id status }
}`;

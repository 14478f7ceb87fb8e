// The public contract's documents the journey test sends through the gateway,
// exactly as frontends send them (infra/supergraph/operations.graphql).
import { contractOperation } from '@mentoring/testing';

export const SIGN_UP = contractOperation('SignUp');
export const LOG_IN = contractOperation('LogIn');
export const CREATE_COMMUNITY = contractOperation('CreateCommunity');
export const CREATE_ORGANIZATION = contractOperation('CreateOrganization');
export const ADD_MEMBER = contractOperation('AddMember');
export const GRANT_OPERATOR = contractOperation('GrantOperator');
export const CREATE_FUND = contractOperation('CreateFund');
export const RECORD_CONTRIBUTION = contractOperation('RecordContribution');
export const CONFIRM_CONTRIBUTION = contractOperation('ConfirmContribution');
export const CREATE_PROGRAM = contractOperation('CreateProgram');
export const ISSUE_GRANT = contractOperation('IssueGrant');
export const CLAIM_GRANT = contractOperation('ClaimGrant');
export const CREATE_OFFERING = contractOperation('CreateOffering');
export const PUBLISH_OFFERING = contractOperation('PublishOffering');
export const REDEEM = contractOperation('Redeem');
export const VALIDATE_REDEMPTION = contractOperation('ValidateRedemption');
export const RUN_SETTLEMENT = contractOperation('RunSettlement');
export const APPROVE_SETTLEMENT_RUN = contractOperation('ApproveSettlementRun');
export const SETTLEMENT_RUN = contractOperation('SettlementRun');
export const MARK_PAYOUT_PAID = contractOperation('MarkPayoutPaid');

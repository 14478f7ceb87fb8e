import { requireOperator, requireUser } from '@mentoring/subgraph-kit';
import type { FundsContext } from '../context';
import { requireContributionRecorder } from '../domain/access';
import { requireReferrerStaff } from '../domain/eligibility';
import {
  type CreateProgramInput,
  cancelContribution,
  confirmContribution,
  createFund,
  createProgram,
  type RecordContributionInput,
  recordContribution,
} from '../domain/funding';
import { claimGrant, revokeGrant } from '../domain/grant-lifecycle';
import { type IssueGrantInput, type IssueGrantsInput, issueGrant, issueGrants } from '../domain/issuing';
import {
  approveSettlementRun,
  markPayoutFailed,
  markPayoutPaid,
  type RunSettlementInput,
  runSettlement,
} from '../domain/settlement/settlement';

type Input<T> = { input: T };

export const Mutation = {
  createFund: (
    _: unknown,
    { input }: Input<{ communityId: string; name: string }>,
    { db, viewer }: FundsContext,
  ) => createFund(db, requireOperator(viewer).userId, input),

  recordContribution: (_: unknown, { input }: Input<RecordContributionInput>, { db, viewer }: FundsContext) =>
    recordContribution(db, requireContributionRecorder(viewer, input.sponsorOrganizationId).userId, input),

  confirmContribution: (_: unknown, { id }: { id: string }, { db, viewer }: FundsContext) => {
    requireOperator(viewer);
    return confirmContribution(db, id);
  },

  cancelContribution: (_: unknown, { id }: { id: string }, { db, viewer }: FundsContext) => {
    requireOperator(viewer);
    return cancelContribution(db, id);
  },

  createProgram: (_: unknown, { input }: Input<CreateProgramInput>, { db, viewer }: FundsContext) =>
    createProgram(db, requireOperator(viewer).userId, input),

  issueGrant: (_: unknown, { input }: Input<IssueGrantInput>, ctx: FundsContext) =>
    issueGrant(ctx, requireReferrerStaff(ctx.viewer, input.referrerOrganizationId).userId, input),

  issueGrants: async (_: unknown, { input }: Input<IssueGrantsInput>, ctx: FundsContext) => {
    const issuer = requireReferrerStaff(ctx.viewer, input.referrerOrganizationId);
    const { batch, results } = await issueGrants(ctx, issuer.userId, input);
    return { batchId: batch.id, results };
  },

  claimGrant: (
    _: unknown,
    { code, guardianConsent }: { code: string; guardianConsent?: boolean | null },
    ctx: FundsContext,
  ) =>
    claimGrant(
      { ...ctx, attempts: ctx.claimAttempts },
      { userId: requireUser(ctx.viewer).userId, ip: ctx.ip },
      code,
      guardianConsent ?? false,
    ),

  revokeGrant: (
    _: unknown,
    { id, reason }: { id: string; reason?: string | null },
    { db, viewer }: FundsContext,
  ) => revokeGrant(db, requireOperator(viewer).userId, id, reason ?? null),

  runSettlement: (_: unknown, { input }: Input<RunSettlementInput>, { db, viewer }: FundsContext) =>
    runSettlement(db, requireOperator(viewer).userId, input),

  approveSettlementRun: (_: unknown, { id }: { id: string }, { db, viewer, sepaDebtor }: FundsContext) =>
    approveSettlementRun(db, requireOperator(viewer).userId, id, { debtor: sepaDebtor }),

  markPayoutPaid: (
    _: unknown,
    { id, bankReference }: { id: string; bankReference: string },
    { db, viewer }: FundsContext,
  ) => {
    requireOperator(viewer);
    return markPayoutPaid(db, id, bankReference);
  },

  markPayoutFailed: (
    _: unknown,
    { id, reason }: { id: string; reason: string },
    { db, viewer }: FundsContext,
  ) => {
    requireOperator(viewer);
    return markPayoutFailed(db, id, reason);
  },
};

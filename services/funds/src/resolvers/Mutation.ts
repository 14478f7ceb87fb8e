import { requireOperator } from '@mentoring/subgraph-kit';
import type { FundsContext } from '../context';
import { requireContributionRecorder } from '../domain/access';
import {
  type CreateProgramInput,
  cancelContribution,
  confirmContribution,
  createFund,
  createProgram,
  type RecordContributionInput,
  recordContribution,
} from '../domain/funding';

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
};

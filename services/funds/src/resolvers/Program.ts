import { requireUser } from '@mentoring/subgraph-kit';
import type { FundsContext } from '../context';
import type { Program as ProgramRow } from '../db/funds';
import { load } from './loaders';

export const Program = {
  __resolveReference: ({ id }: { id: string }, ctx: FundsContext) => {
    requireUser(ctx.viewer);
    return load(ctx).program.load(id);
  },
  fund: (program: ProgramRow, _: unknown, ctx: FundsContext) => load(ctx).fund.load(program.fundId),
};

import { forbidden, requireUser } from '@mentoring/subgraph-kit';
import type { FundsContext } from '../context';
import { load } from './loaders';

export const User = {
  grants: ({ id }: { id: string }, _: unknown, ctx: FundsContext) => {
    if (requireUser(ctx.viewer).userId !== id) throw forbidden('Only the user can see their grants.');
    return load(ctx).grantsOfHolder.load(id);
  },
};

import type { SportContext } from '../context';
import { sportDetailsOf } from '../loaders';

export const Offering = {
  __resolveReference: ({ id }: { id: string }) => ({ id }),
  sportDetails: ({ id }: { id: string }, _: unknown, ctx: SportContext) => sportDetailsOf(ctx).load(id),
};

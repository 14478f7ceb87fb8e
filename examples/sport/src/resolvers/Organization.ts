import type { SportContext } from '../context';
import { sportClubOf } from '../loaders';

export const Organization = {
  __resolveReference: ({ id }: { id: string }) => ({ id }),
  sportClub: ({ id }: { id: string }, _: unknown, ctx: SportContext) => sportClubOf(ctx).load(id),
};

import type { IdentityContext } from '../context';
import { communityById } from '../loaders';

export const Community = {
  // Communities are public.
  __resolveReference: (ref: { id: string }, ctx: IdentityContext) => communityById(ctx).load(ref.id),
};

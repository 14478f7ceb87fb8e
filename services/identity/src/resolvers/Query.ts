import type { IdentityContext } from '../context';
import { listCommunities } from '../db/communities';
import type { OrganizationKind } from '../db/organizations';
import { organizationsOfCommunity } from '../db/organizations';
import { userById } from '../loaders';

export const Query = {
  me: (_: unknown, __: unknown, ctx: IdentityContext) =>
    ctx.viewer ? userById(ctx).load(ctx.viewer.userId) : null,

  /** Public: the communities (towns) the platform runs in. */
  communities: (_: unknown, __: unknown, { db }: IdentityContext) => listCommunities(db),

  /** Public: anyone may list who takes part in a community (private fields are guarded on Organization). */
  organizations: (
    _: unknown,
    args: { communityId: string; kind?: OrganizationKind | null },
    { db }: IdentityContext,
  ) => organizationsOfCommunity(db, args.communityId, args.kind),
};

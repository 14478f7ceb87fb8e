import { forbidden, requireUser } from '@mentoring/subgraph-kit';
import type { IdentityContext } from '../context';
import type { MembershipRow } from '../db/memberships';
import type { UserRow } from '../db/users';
import { canSeeAccount } from '../domain/visibility';
import { membershipsByUser, userById } from '../loaders';

/** Private account fields: the user (or who just signed in as them), operators, ADMINs of their organizations. */
async function requireAccountAccess(user: UserRow, ctx: IdentityContext): Promise<void> {
  if (ctx.signedInAs.has(user.id)) return;
  const viewer = requireUser(ctx.viewer);
  const organizationIds = (await membershipsByUser(ctx).load(user.id)).map((m) => m.organizationId);
  if (!canSeeAccount(viewer, user.id, organizationIds))
    throw forbidden('Only the user, their organization admins and operators can see this.');
}

export const User = {
  __resolveReference: (ref: { id: string }, ctx: IdentityContext) => userById(ctx).load(ref.id),

  email: async (user: UserRow, _: unknown, ctx: IdentityContext) => {
    await requireAccountAccess(user, ctx);
    return user.email;
  },
  displayName: async (user: UserRow, _: unknown, ctx: IdentityContext) => {
    await requireAccountAccess(user, ctx);
    return user.displayName;
  },
  roles: async (user: UserRow, _: unknown, ctx: IdentityContext) => {
    await requireAccountAccess(user, ctx);
    return user.roles;
  },
  memberships: async (user: UserRow, _: unknown, ctx: IdentityContext): Promise<MembershipRow[]> => {
    await requireAccountAccess(user, ctx);
    return membershipsByUser(ctx).load(user.id);
  },
};

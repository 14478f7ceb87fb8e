import type { IdentityContext } from '../context';
import type { MemberRole } from '../db/memberships';
import { organizationById, userById } from '../loaders';

/** A membership as resolvers pass it around. */
export interface MembershipParent {
  userId: string;
  organizationId: string;
  role: MemberRole;
}

export const Membership = {
  organization: (m: MembershipParent, _: unknown, ctx: IdentityContext) =>
    organizationById(ctx).load(m.organizationId),
  user: (m: MembershipParent, _: unknown, ctx: IdentityContext) => userById(ctx).load(m.userId),
};

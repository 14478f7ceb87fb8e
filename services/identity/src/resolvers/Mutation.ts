import { badInput, notFound, requireMember, requireOperator } from '@mentoring/subgraph-kit';
import type { Session } from '../auth/accounts';
import type { IdentityContext } from '../context';
import { insertCommunity } from '../db/communities';
import { type MemberRole, upsertMembership } from '../db/memberships';
import { findOrganization, insertOrganization, type OrganizationKind } from '../db/organizations';
import { addRole, findUserByEmail } from '../db/users';
import { isEmail, normalizeEmail } from '../domain/emails';
import { isValidIban, normalizeIban } from '../domain/iban';
import { isId } from '../domain/ids';
import { tidyName } from '../domain/names';
import { isSlug } from '../domain/slugs';
import { isTaxCode, normalizeTaxCode } from '../domain/tax-codes';
import { communityById, userById } from '../loaders';
import type { MembershipParent } from './Membership';

/** The payload of a sign-in; its user may read their own account in this answer. */
function signedIn(ctx: IdentityContext, session: Session) {
  ctx.signedInAs.add(session.user.id);
  return session;
}

/** A required display name, tidied; BAD_USER_INPUT when empty or too long. */
function requiredName(value: string, field: string, max = 200): string {
  const name = tidyName(value);
  if (!name || name.length > max) throw badInput(`The ${field} must be 1 to ${max} characters long.`, field);
  return name;
}

/** An optional text input, normalized; blank means absent. */
const optional = (value: string | null | undefined, normalize: (value: string) => string) =>
  value?.trim() ? normalize(value) : null;

export const Mutation = {
  signUp: async (
    _: unknown,
    { input }: { input: { email: string; password: string; displayName: string } },
    ctx: IdentityContext,
  ) => signedIn(ctx, await ctx.accounts.signUp(input)),

  logIn: async (_: unknown, args: { email: string; password: string }, ctx: IdentityContext) =>
    signedIn(ctx, await ctx.accounts.logIn(args.email, args.password, ctx.ip)),

  refreshToken: async (_: unknown, args: { refreshToken: string }, ctx: IdentityContext) => {
    const { userId, ...tokens } = await ctx.sessions.refresh(args.refreshToken);
    ctx.signedInAs.add(userId);
    return { ...tokens, user: await userById(ctx).load(userId) };
  },

  grantOperator: async (_: unknown, args: { userId: string }, ctx: IdentityContext) => {
    requireOperator(ctx.viewer);
    const user = await addRole(ctx.db, args.userId, 'OPERATOR');
    if (!user) throw notFound('User');
    return user;
  },

  createCommunity: async (
    _: unknown,
    { input }: { input: { name: string; slug: string } },
    ctx: IdentityContext,
  ) => {
    requireOperator(ctx.viewer);
    const name = requiredName(input.name, 'name');
    const slug = input.slug.trim();
    if (!isSlug(slug))
      throw badInput(
        'The slug may contain only lowercase letters, digits and dashes, and must start with a letter or digit.',
        'slug',
      );
    const community = await insertCommunity(ctx.db, { name, slug });
    if (!community) throw badInput('A community with this slug already exists.', 'slug');
    return community;
  },

  createOrganization: async (
    _: unknown,
    {
      input,
    }: {
      input: {
        communityId: string;
        name: string;
        kind: OrganizationKind;
        taxCode?: string | null;
        iban?: string | null;
        email?: string | null;
      };
    },
    ctx: IdentityContext,
  ) => {
    requireOperator(ctx.viewer);
    const community = await communityById(ctx).load(input.communityId);
    if (!community) throw notFound('Community');
    const taxCode = optional(input.taxCode, normalizeTaxCode);
    if (taxCode && !isTaxCode(taxCode))
      throw badInput(
        'The tax code must be a codice fiscale (16 characters) or a partita IVA (11 digits).',
        'taxCode',
      );
    const iban = optional(input.iban, normalizeIban);
    if (iban && !isValidIban(iban)) throw badInput('The IBAN is not valid.', 'iban');
    const email = optional(input.email, normalizeEmail);
    if (email && !isEmail(email)) throw badInput('Enter a valid email address.', 'email');
    return insertOrganization(ctx.db, {
      communityId: community.id,
      name: requiredName(input.name, 'name'),
      kind: input.kind,
      taxCode,
      iban,
      email,
    });
  },

  addMember: async (
    _: unknown,
    { input }: { input: { organizationId: string; email: string; role: MemberRole } },
    ctx: IdentityContext,
  ): Promise<MembershipParent> => {
    requireMember(ctx.viewer, input.organizationId, ['ADMIN']);
    if (!isId(input.organizationId) || !(await findOrganization(ctx.db, input.organizationId)))
      throw notFound('Organization');
    const user = await findUserByEmail(ctx.db, normalizeEmail(input.email));
    if (!user) throw notFound('User');
    const membership = { organizationId: input.organizationId, userId: user.id, role: input.role };
    await upsertMembership(ctx.db, membership);
    return membership;
  },
};

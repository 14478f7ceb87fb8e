import { byKeys } from '@mentoring/subgraph-kit';
import type { IdentityContext } from './context';
import { type BeneficiaryRow, findBeneficiaries, referralsOf } from './db/beneficiaries';
import { type CommunityRow, findCommunities } from './db/communities';
import { type MembershipRow, membershipsOfUsers } from './db/memberships';
import { findOrganizations, type OrganizationRow } from './db/organizations';
import { findUsers, type UserRow } from './db/users';

// One query per batch for everything a request resolves by id.

type Ctx = Pick<IdentityContext, 'db' | 'loaders'>;

function groupBy<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) groups.set(keyOf(row), [...(groups.get(keyOf(row)) ?? []), row]);
  return keys.map((key) => groups.get(key) ?? []);
}

export const userById = ({ db, loaders }: Ctx) =>
  loaders.get<string, UserRow | null>('user', async (ids) =>
    byKeys(ids, await findUsers(db, ids), (u) => u.id),
  );

export const membershipsByUser = ({ db, loaders }: Ctx) =>
  loaders.get<string, MembershipRow[]>('membershipsByUser', async (ids) =>
    groupBy(ids, await membershipsOfUsers(db, ids), (m) => m.userId),
  );

export const organizationById = ({ db, loaders }: Ctx) =>
  loaders.get<string, OrganizationRow | null>('organization', async (ids) =>
    byKeys(ids, await findOrganizations(db, ids), (o) => o.id),
  );

export const communityById = ({ db, loaders }: Ctx) =>
  loaders.get<string, CommunityRow | null>('community', async (ids) =>
    byKeys(ids, await findCommunities(db, ids), (c) => c.id),
  );

export const beneficiaryById = ({ db, loaders }: Ctx) =>
  loaders.get<string, BeneficiaryRow | null>('beneficiary', async (ids) =>
    byKeys(ids, await findBeneficiaries(db, ids), (b) => b.id),
  );

/** The organizations that referred each beneficiary. */
export const referrersByBeneficiary = ({ db, loaders }: Ctx) =>
  loaders.get<string, string[]>('referrersByBeneficiary', async (ids) =>
    groupBy(ids, await referralsOf(db, ids), (r) => r.beneficiaryId).map((rows) =>
      rows.map((r) => r.organizationId),
    ),
  );

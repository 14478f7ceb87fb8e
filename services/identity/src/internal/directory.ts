import type { Database } from '@mentoring/db';
import { identityApi } from '@mentoring/internal-api';
import { internalRoute } from '@mentoring/subgraph-kit';
import type { z } from 'zod';
import { findOrganizations } from '../db/organizations';
import { findUsers } from '../db/users';

type Output<C extends { output: z.ZodType }> = z.output<C['output']>;

/** Contact and payout details other services need about organizations and users. */
export const directoryRoutes = (db: Database) => ({
  getOrganizations: internalRoute(
    identityApi.getOrganizations.input,
    async ({ ids }): Promise<Output<typeof identityApi.getOrganizations>> =>
      (await findOrganizations(db, ids)).map((o) => ({
        id: o.id,
        communityId: o.communityId,
        kind: o.kind,
        name: o.name,
        iban: o.iban,
        email: o.email,
      })),
  ),

  getUsers: internalRoute(
    identityApi.getUsers.input,
    async ({ ids }): Promise<Output<typeof identityApi.getUsers>> =>
      (await findUsers(db, ids)).map((u) => ({
        id: u.id,
        email: u.email,
        displayName: u.displayName,
        locale: u.locale,
      })),
  ),
});

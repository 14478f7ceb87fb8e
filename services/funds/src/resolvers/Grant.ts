import { forbidden, requireUser } from '@mentoring/subgraph-kit';
import type { FundsContext } from '../context';
import type { Grant as GrantRow } from '../db/grants';
import { canViewGrant } from '../domain/access';
import { iso, load } from './loaders';

export const Grant = {
  __resolveReference: async ({ id }: { id: string }, ctx: FundsContext) => {
    requireUser(ctx.viewer);
    const grant = await load(ctx).grant.load(id);
    if (grant && !canViewGrant(ctx.viewer, grant)) throw forbidden('You cannot see this grant.');
    return grant;
  },
  program: (grant: GrantRow, _: unknown, ctx: FundsContext) => load(ctx).program.load(grant.programId),
  beneficiary: (grant: GrantRow) => ({ id: grant.beneficiaryId }),
  expiresAt: (grant: GrantRow) => iso(grant.expiresAt),
};

import { forbidden, requireUser } from '@mentoring/subgraph-kit';
import type { FundsContext } from '../context';
import type { Grant as GrantRow } from '../db/grants';
import { canViewGrant } from '../domain/access';
import { iso, load } from './loaders';

/** A grant seen by staff of a provider it paid: only `id` and `balanceCents`. */
type SeenGrant = GrantRow & { providerView?: true };

/** Fields a provider's staff may not read. */
const HIDDEN_FROM_PROVIDERS = [
  'status',
  'amountCents',
  'expiresAt',
  'program',
  'beneficiary',
  'communityId',
  'eligibleCategories',
  'eligibleProviderIds',
  'eligibleOfferingIds',
  'spendDeadline',
] as const;

const fieldResolvers: Record<string, (grant: SeenGrant, args: unknown, ctx: FundsContext) => unknown> = {
  program: (grant, _, ctx) => load(ctx).program.load(grant.programId),
  beneficiary: (grant) => ({ id: grant.beneficiaryId }),
  expiresAt: (grant) => iso(grant.expiresAt),
};

const guarded = Object.fromEntries(
  HIDDEN_FROM_PROVIDERS.map((field) => [
    field,
    (grant: SeenGrant, args: unknown, ctx: FundsContext) => {
      if (grant.providerView) throw forbidden('You cannot see this grant.');
      const resolve = fieldResolvers[field];
      return resolve ? resolve(grant, args, ctx) : grant[field as keyof GrantRow];
    },
  ]),
);

export const Grant = {
  __resolveReference: async ({ id }: { id: string }, ctx: FundsContext): Promise<SeenGrant | null> => {
    requireUser(ctx.viewer);
    const grant = await load(ctx).grant.load(id);
    if (!grant || canViewGrant(ctx.viewer, grant)) return grant;
    if (await load(ctx).paidToViewersProvider.load(grant.id)) return { ...grant, providerView: true };
    throw forbidden('You cannot see this grant.');
  },
  ...guarded,
};

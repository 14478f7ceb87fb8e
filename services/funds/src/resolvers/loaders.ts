// Per-request batched reads, shared by the resolvers.
import { byKeys, forbidden, requireUser } from '@mentoring/subgraph-kit';
import type { FundsContext } from '../context';
import {
  contributingSponsors,
  contributionsOfFunds,
  findFunds,
  findPrograms,
  programsOfFunds,
} from '../db/funds';
import { findGrants, grantsOfHolders } from '../db/grants';
import {
  filesOfRuns,
  findRuns,
  grantsPaidToProviders,
  paymentsOfRedemptions,
  payoutsOfRuns,
} from '../db/settlement';
import { type FundAccess, fundAccess, sponsorOrganizationsOf } from '../domain/access';
import { isUuid } from '../domain/values';

/** Batches by id, asking the database only for well-formed ids (others are simply not found). */
function byId<T extends { id: string }>(fetch: (ids: string[]) => Promise<T[]>) {
  return async (keys: readonly string[]) => {
    const ids = keys.filter(isUuid);
    return byKeys(keys, ids.length ? await fetch(ids) : [], (row) => row.id);
  };
}

function groupedBy<T>(fetch: (ids: string[]) => Promise<T[]>, keyOf: (row: T) => string) {
  return async (keys: readonly string[]) => {
    const ids = keys.filter(isUuid);
    const rows = ids.length ? await fetch(ids) : [];
    return keys.map((key) => rows.filter((row) => keyOf(row) === key));
  };
}

export function load({ db, loaders, viewer }: FundsContext) {
  return {
    fund: loaders.get(
      'fund',
      byId((ids) => findFunds(db, ids)),
    ),
    program: loaders.get(
      'program',
      byId((ids) => findPrograms(db, ids)),
    ),
    grant: loaders.get(
      'grant',
      byId((ids) => findGrants(db, ids)),
    ),
    contributionsOfFund: loaders.get(
      'contributionsOfFund',
      groupedBy(
        (ids) => contributionsOfFunds(db, ids),
        (c) => c.fundId,
      ),
    ),
    programsOfFund: loaders.get(
      'programsOfFund',
      groupedBy(
        (ids) => programsOfFunds(db, ids),
        (p) => p.fundId,
      ),
    ),
    grantsOfHolder: loaders.get('grantsOfHolder', async (userIds: readonly string[]) => {
      const rows = await grantsOfHolders(db, userIds);
      return userIds.map((id) => rows.filter((g) => g.holderUserId === id));
    }),
    settlementRun: loaders.get(
      'settlementRun',
      byId((ids) => findRuns(db, ids)),
    ),
    payoutsOfRun: loaders.get(
      'payoutsOfRun',
      groupedBy(
        (ids) => payoutsOfRuns(db, ids),
        (p) => p.runId,
      ),
    ),
    settlementFiles: loaders.get('settlementFiles', async (runIds: readonly string[]) => {
      const ids = runIds.filter(isUuid);
      const rows = ids.length ? await filesOfRuns(db, ids) : [];
      return runIds.map((id) => rows.find((f) => f.runId === id) ?? null);
    }),
    paymentOfRedemption: loaders.get('paymentOfRedemption', async (redemptionIds: readonly string[]) => {
      const rows = await paymentsOfRedemptions(db, redemptionIds);
      return redemptionIds.map((id) => rows.find((r) => r.redemptionId === id) ?? null);
    }),
    /** Whether a provider the viewer works for was paid (authorized or captured) from the grant. */
    paidToViewersProvider: loaders.get('paidToViewersProvider', async (grantIds: readonly string[]) => {
      const providers = (viewer?.memberships ?? [])
        .filter((m) => m.kind === 'PROVIDER')
        .map((m) => m.organizationId);
      const ids = grantIds.filter(isUuid);
      const paid =
        providers.length && ids.length ? await grantsPaidToProviders(db, ids, providers) : new Set();
      return grantIds.map((id) => paid.has(id));
    }),
    fundAccess: loaders.get('fundAccess', (fundIds: readonly string[]) =>
      Promise.all(
        fundIds.map(async (fundId): Promise<FundAccess> => {
          if (!viewer) return null;
          const sponsors = sponsorOrganizationsOf(viewer);
          const contributing =
            isUuid(fundId) && sponsors.length > 0 ? await contributingSponsors(db, fundId, sponsors) : [];
          return fundAccess(viewer, contributing);
        }),
      ),
    ),
  };
}

/** The viewer's access to a fund, or UNAUTHENTICATED / FORBIDDEN. */
export async function requireFundAccess(ctx: FundsContext, fundId: string) {
  requireUser(ctx.viewer);
  const access = await load(ctx).fundAccess.load(fundId);
  if (!access) throw forbidden("Only operators and the fund's sponsors can see this.");
  return access;
}

export const iso = (date: Date | null) => (date ? date.toISOString() : null);

import { notFound, requireMember } from '@mentoring/subgraph-kit';
import type { SportContext } from '../context';
import { saveSportClub, saveSportDetails } from '../db/sport';
import { type SportLevel, sportClub, sportDetails } from '../domain/sport';

interface SetSportDetailsArgs {
  offeringId: string;
  input: { discipline: string; level: SportLevel; ageGroup?: string | null };
}

interface RegisterSportClubArgs {
  organizationId: string;
  input: { federationCode: string; disciplines: string[] };
}

export const Mutation = {
  registerSportClub: async (
    _: unknown,
    { organizationId, input }: RegisterSportClubArgs,
    ctx: SportContext,
  ) => {
    requireMember(ctx.viewer, organizationId, ['ADMIN']);
    await saveSportClub(ctx.db, sportClub(organizationId, input));
    return { id: organizationId };
  },

  setSportDetails: async (_: unknown, { offeringId, input }: SetSportDetailsArgs, ctx: SportContext) => {
    // The provider comes from catalog, never from the caller.
    const offering = await ctx.lookupOffering(offeringId);
    if (!offering) throw notFound('Offering');
    requireMember(ctx.viewer, offering.providerId);
    await saveSportDetails(ctx.db, sportDetails(offeringId, offering.providerId, input));
    return { id: offeringId };
  },
};

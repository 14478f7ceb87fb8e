import type { CatalogContext } from '../context';
import { canSeeOffering } from '../domain/access';
import { type Offering as OfferingRow, seatsLeft } from '../domain/offering';
import { offeringById } from '../loaders';

export const Offering = {
  /** Batched: every Offering representation of one request is fetched in one query. */
  __resolveReference: async ({ id }: { id: string }, ctx: CatalogContext) => {
    const offering = await offeringById(ctx).load(id);
    return offering && canSeeOffering(ctx.viewer, offering) ? offering : null;
  },
  seatsLeft: (offering: OfferingRow) => seatsLeft(offering),
  provider: (offering: OfferingRow) => ({ __typename: 'Organization', id: offering.providerId }),
  community: (offering: OfferingRow) => ({ __typename: 'Community', id: offering.communityId }),
};

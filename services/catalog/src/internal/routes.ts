import type { Database } from '@mentoring/db';
import { catalogApi } from '@mentoring/internal-api';
import { type InternalRoutes, internalRoute } from '@mentoring/subgraph-kit';
import type { z } from 'zod';
import { findOfferings } from '../db/offerings';
import { releaseSeat, reserveSeat } from '../db/seats';

type OfferingSummary = z.infer<typeof catalogApi.getOfferings.output>[number];

/** The internal API catalog serves to other services (`POST /internal/<route>`). */
export function catalogRoutes(db: Database): InternalRoutes {
  return {
    [catalogApi.reserveSeat.route]: internalRoute(catalogApi.reserveSeat.input, (input) =>
      reserveSeat(db, input),
    ),
    [catalogApi.releaseSeat.route]: internalRoute(catalogApi.releaseSeat.input, (input) =>
      releaseSeat(db, input),
    ),
    [catalogApi.getOfferings.route]: internalRoute(
      catalogApi.getOfferings.input,
      async ({ ids }): Promise<OfferingSummary[]> =>
        (await findOfferings(db, ids)).map((o) => ({
          id: o.id,
          providerId: o.providerId,
          communityId: o.communityId,
          category: o.category,
          priceCents: o.priceCents,
          status: o.status,
          minAge: o.minAge,
          maxAge: o.maxAge,
          title: o.title,
        })),
    ),
  };
}

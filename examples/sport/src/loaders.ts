import { byKeys } from '@mentoring/subgraph-kit';
import type { SportContext } from './context';
import { findSportClubs, findSportDetails } from './db/sport';
import type { SportClub, SportDetails } from './domain/sport';

/** Sport details of every offering asked during one request, in one query. */
export const sportDetailsOf = ({ loaders, db }: SportContext) =>
  loaders.get<string, SportDetails | null>('sportDetailsOf', async (ids) =>
    byKeys(ids, await findSportDetails(db, ids), (d) => d.offeringId),
  );

/** Club registrations of every organization asked during one request, in one query. */
export const sportClubOf = ({ loaders, db }: SportContext) =>
  loaders.get<string, SportClub | null>('sportClubOf', async (ids) =>
    byKeys(ids, await findSportClubs(db, ids), (c) => c.organizationId),
  );

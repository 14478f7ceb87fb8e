import type { SportContext } from '../context';
import { listSportClubs } from '../db/sport';
import { discipline } from '../domain/sport';

export const Query = {
  sportClubs: async (_: unknown, args: { discipline?: string | null }, { db }: SportContext) => {
    const clubs = await listSportClubs(db, args.discipline ? discipline(args.discipline) : undefined);
    return clubs.map((club) => ({ id: club.organizationId }));
  },
};

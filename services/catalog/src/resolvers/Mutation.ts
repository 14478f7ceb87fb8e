import { notFound, requireUser } from '@mentoring/subgraph-kit';
import type { CatalogContext } from '../context';
import { categorySlugs } from '../db/categories';
import { changeOfferingStatus, findOffering, insertOffering, updateOfferingFields } from '../db/offerings';
import { requireProviderStaff } from '../domain/access';
import {
  applyOfferingChanges,
  assertEditable,
  assertProvider,
  nextStatus,
  type Offering,
  type OfferingAction,
  type OfferingChanges,
  type OfferingFieldsInput,
  offeringArchived,
  validateOfferingFields,
} from '../domain/offering';

type CreateOfferingInput = OfferingFieldsInput & { providerOrganizationId: string };

/** The offering, if the viewer may manage it (NOT_FOUND, UNAUTHENTICATED, FORBIDDEN otherwise). */
async function manageable(ctx: CatalogContext, id: string): Promise<Offering> {
  requireUser(ctx.viewer);
  const offering = await findOffering(ctx.db, id);
  if (!offering) throw notFound('Offering');
  requireProviderStaff(ctx.viewer, offering.providerId);
  return offering;
}

/** Applies a lifecycle action; if another request changed the status meanwhile, decides again. */
async function transition(ctx: CatalogContext, id: string, action: OfferingAction): Promise<Offering> {
  let offering = await manageable(ctx, id);
  for (;;) {
    const moved = await changeOfferingStatus(
      ctx.db,
      id,
      offering.status,
      nextStatus(offering.status, action),
    );
    if (moved) return moved;
    offering = await manageable(ctx, id);
  }
}

export const Mutation = {
  createOffering: async (_: unknown, { input }: { input: CreateOfferingInput }, ctx: CatalogContext) => {
    const { providerOrganizationId, ...fields } = input;
    requireProviderStaff(ctx.viewer, providerOrganizationId);
    const valid = validateOfferingFields(fields, await categorySlugs(ctx.db));
    const provider = assertProvider(await ctx.lookupProvider(providerOrganizationId));
    return insertOffering(ctx.db, {
      ...valid,
      providerId: providerOrganizationId,
      communityId: provider.communityId,
    });
  },

  updateOffering: async (
    _: unknown,
    { id, input }: { id: string; input: OfferingChanges },
    ctx: CatalogContext,
  ) => {
    const current = await manageable(ctx, id);
    assertEditable(current.status);
    const fields = applyOfferingChanges(current, input, await categorySlugs(ctx.db));
    const updated = await updateOfferingFields(ctx.db, id, fields);
    if (!updated) throw offeringArchived(); // archived meanwhile
    return updated;
  },

  publishOffering: (_: unknown, { id }: { id: string }, ctx: CatalogContext) =>
    transition(ctx, id, 'publish'),

  archiveOffering: (_: unknown, { id }: { id: string }, ctx: CatalogContext) =>
    transition(ctx, id, 'archive'),
};

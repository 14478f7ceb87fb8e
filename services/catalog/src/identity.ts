import { contract, createInternalClient } from '@mentoring/internal-api';
import type { ServiceTokens } from '@mentoring/subgraph-kit';
import { z } from 'zod';
import type { ProviderInfo } from './domain/offering';

/** Finds the organization an offering is created for; null when identity does not know it. */
export type ProviderLookup = (organizationId: string) => Promise<ProviderInfo | null>;

// The part of identity's `getOrganizations` route catalog relies on.
const getOrganizations = contract(
  'identity',
  'getOrganizations',
  z.object({ ids: z.array(z.string()) }),
  z.array(z.looseObject({ id: z.string(), communityId: z.string(), kind: z.string(), name: z.string() })),
);

/** Asks identity's internal API, with a service token, for the organization's community and kind. */
export function identityProviderLookup({
  identityUrl,
  tokens,
}: {
  identityUrl: string;
  tokens: Pick<ServiceTokens, 'sign'>;
}): ProviderLookup {
  // Only the origin: IDENTITY_URL may name identity's /graphql endpoint.
  const call = createInternalClient({ tokens, urls: { identity: new URL(identityUrl).origin } });
  return async (organizationId) => {
    const [organization] = await call(getOrganizations, { ids: [organizationId] });
    return organization ? { communityId: organization.communityId, kind: organization.kind } : null;
  };
}

import { createInternalClient } from '@mentoring/internal-api';
import type { ServiceTokens } from '@mentoring/subgraph-kit';
import { getOrganizations, getUsers } from './identity-contracts';
import { type Locale, localeOf } from './templates/format';

/** Someone an event names: an address given in the payload, or a user or organization id. */
export type RecipientRef =
  | { kind: 'email'; email: string; role: 'beneficiary' | 'guardian' }
  | { kind: 'user'; id: string }
  | { kind: 'organization'; id: string };

export type RecipientRole = 'beneficiary' | 'guardian' | 'user' | 'organization';

/** A resolved recipient: one address, the name to greet, the language to write in. */
export interface Recipient {
  /** Trimmed, lower-cased address: also the delivery key. */
  address: string;
  name?: string | undefined;
  locale: Locale;
  role: RecipientRole;
}

export interface UserContact {
  id: string;
  email: string;
  displayName: string;
  locale: string;
}

export interface OrganizationContact {
  id: string;
  name: string;
  email: string | null;
}

/** Where contact details of users and organizations come from (identity, or a fake in tests). */
export interface RecipientDirectory {
  getUsers(ids: string[]): Promise<UserContact[]>;
  getOrganizations(ids: string[]): Promise<OrganizationContact[]>;
}

/** Identity's internal API (`getUsers`, `getOrganizations`), called with a service token. */
export function identityDirectory({
  identityUrl,
  tokens,
  timeoutMs = 10_000,
}: {
  identityUrl: string;
  tokens: Pick<ServiceTokens, 'sign'>;
  timeoutMs?: number;
}): RecipientDirectory {
  // Only the origin: IDENTITY_URL may name identity's /graphql endpoint.
  const call = createInternalClient({ tokens, urls: { identity: new URL(identityUrl).origin }, timeoutMs });
  return {
    getUsers: (ids) => call(getUsers, { ids }),
    getOrganizations: (ids) => call(getOrganizations, { ids }),
  };
}

export const normalizeAddress = (address: string) => address.trim().toLowerCase();

const looksLikeAddress = (address: string) => /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(address);

export interface Resolution {
  recipients: Recipient[];
  /** Refs that lead to no address (unknown id, organization without email, malformed address). */
  unreachable: Array<{ ref: RecipientRef; reason: string }>;
}

/**
 * Turns an event's recipient refs into addresses, asking the directory once
 * per kind. The same address named twice (e.g. beneficiary and guardian) gets
 * one message. Unknown ids are reported, not thrown: they will not appear on
 * a retry either. Directory failures (identity down) are thrown, to retry.
 */
export async function resolveRecipients(
  refs: RecipientRef[],
  directory: RecipientDirectory,
): Promise<Resolution> {
  const userIds = [...new Set(refs.flatMap((r) => (r.kind === 'user' ? [r.id] : [])))];
  const organizationIds = [...new Set(refs.flatMap((r) => (r.kind === 'organization' ? [r.id] : [])))];
  const [users, organizations] = await Promise.all([
    userIds.length ? directory.getUsers(userIds) : [],
    organizationIds.length ? directory.getOrganizations(organizationIds) : [],
  ]);
  const userById = new Map(users.map((u) => [u.id, u]));
  const organizationById = new Map(organizations.map((o) => [o.id, o]));

  const recipients = new Map<string, Recipient>();
  const unreachable: Resolution['unreachable'] = [];
  const add = (
    ref: RecipientRef,
    recipient: Omit<Recipient, 'address'> & { address: string | null | undefined },
  ) => {
    const address = recipient.address ? normalizeAddress(recipient.address) : '';
    if (!address) return unreachable.push({ ref, reason: 'no email address' });
    if (!looksLikeAddress(address)) return unreachable.push({ ref, reason: 'malformed email address' });
    if (!recipients.has(address)) recipients.set(address, { ...recipient, address });
  };
  for (const ref of refs) {
    if (ref.kind === 'email') {
      add(ref, { address: ref.email, locale: 'it', role: ref.role });
    } else if (ref.kind === 'user') {
      const user = userById.get(ref.id);
      if (!user) unreachable.push({ ref, reason: 'unknown user' });
      else
        add(ref, {
          address: user.email,
          name: user.displayName,
          locale: localeOf(user.locale),
          role: 'user',
        });
    } else {
      const org = organizationById.get(ref.id);
      if (!org) unreachable.push({ ref, reason: 'unknown organization' });
      else add(ref, { address: org.email, name: org.name, locale: 'it', role: 'organization' });
    }
  }
  return { recipients: [...recipients.values()], unreachable };
}

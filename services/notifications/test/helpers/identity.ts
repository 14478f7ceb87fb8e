import { createServiceTokens } from '@mentoring/subgraph-kit';
import Fastify from 'fastify';
import type { OrganizationContact, RecipientDirectory, UserContact } from '../../src/recipients';

export const TEST_SERVICE_SECRET = 'test-service-token-secret-0123456789abcdef';

export interface FakeIdentity {
  url: string;
  /** Routes called, with the calling service, in order. */
  calls: Array<{ route: string; caller: string; ids: string[] }>;
  close(): Promise<void>;
}

/**
 * A stand-in for identity's internal API (`POST /internal/getUsers` and
 * `/internal/getOrganizations`), checking service tokens like identity does.
 */
export async function startFakeIdentity(
  directory: { users: UserContact[]; organizations: Array<OrganizationContact & Record<string, unknown>> },
  secret = TEST_SERVICE_SECRET,
): Promise<FakeIdentity> {
  const tokens = createServiceTokens(secret, 'identity');
  const calls: FakeIdentity['calls'] = [];
  const app = Fastify();
  app.post<{ Params: { route: string }; Body: { ids: string[] } }>(
    '/internal/:route',
    async (request, reply) => {
      let caller: string;
      try {
        caller = await tokens.verify((request.headers.authorization ?? '').replace(/^Bearer /, ''));
      } catch {
        return reply
          .code(401)
          .send({ error: { code: 'UNAUTHENTICATED', message: 'A service token is required.' } });
      }
      const ids = request.body.ids;
      calls.push({ route: request.params.route, caller, ids });
      if (request.params.route === 'getUsers')
        return { result: directory.users.filter((u) => ids.includes(u.id)) };
      if (request.params.route === 'getOrganizations')
        return { result: directory.organizations.filter((o) => ids.includes(o.id)) };
      return reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'No such internal route.' } });
    },
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, calls, close: () => app.close() };
}

/** The same directory as a plain function pair (no HTTP). */
export const directoryOf = (directory: {
  users: UserContact[];
  organizations: OrganizationContact[];
}): RecipientDirectory => ({
  getUsers: async (ids) => directory.users.filter((u) => ids.includes(u.id)),
  getOrganizations: async (ids) => directory.organizations.filter((o) => ids.includes(o.id)),
});

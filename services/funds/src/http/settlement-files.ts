// GET /settlement-runs/<id>/sepa.xml and /settlement-runs/<id>/payouts.csv:
// the files of an approved run, for operators (Bearer access token).
import type { Database } from '@mentoring/db';
import { isOperator, type TokenVerifier, type Viewer, viewerFromHeader } from '@mentoring/subgraph-kit';
import type { FastifyInstance } from 'fastify';
import { filesOfRuns } from '../db/settlement';
import { isUuid } from '../domain/values';

export function registerSettlementRoutes(
  app: FastifyInstance,
  deps: { db: Database; verifyToken: TokenVerifier },
) {
  app.get<{ Params: { id: string; file: string } }>('/settlement-runs/:id/:file', async (request, reply) => {
    const fail = (status: number, code: string, message: string) =>
      reply.code(status).header('cache-control', 'no-store').send({ error: { code, message } });
    let viewer: Viewer | null;
    try {
      viewer = await viewerFromHeader(request.headers.authorization, deps.verifyToken);
    } catch {
      viewer = null;
    }
    if (!viewer) return fail(401, 'UNAUTHENTICATED', 'You must be signed in.');
    if (!isOperator(viewer)) return fail(403, 'FORBIDDEN', 'Only operators can download settlement files.');
    const { id, file } = request.params;
    if (file !== 'sepa.xml' && file !== 'payouts.csv') return fail(404, 'NOT_FOUND', 'File not found.');
    const [files] = isUuid(id) ? await filesOfRuns(deps.db, [id.toLowerCase()]) : [];
    const body = file === 'sepa.xml' ? files?.sepaXml : files?.csv;
    if (!body)
      return fail(404, 'NOT_FOUND', 'This run has no such file (not approved yet, or nothing to pay).');
    reply.header('cache-control', 'no-store').header('x-content-type-options', 'nosniff');
    const name = `settlement-${id.toLowerCase()}${file === 'sepa.xml' ? '.xml' : '.csv'}`;
    return reply
      .type(file === 'sepa.xml' ? 'application/xml; charset=utf-8' : 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(body);
  });
}

// GET /exports/issued-codes/<batchId>.csv|.html: the codes of an Open Day batch,
// for the staff of the referrer that issued it (signed in with their access token).
import type { Database } from '@mentoring/db';
import { type TokenVerifier, type Viewer, viewerFromHeader } from '@mentoring/subgraph-kit';
import type { FastifyInstance } from 'fastify';
import { findBatch, grantsOfBatch } from '../db/grants';
import type { ClaimCodeKeys } from '../domain/claim-codes';
import { formatClaimCode } from '../domain/claim-codes';
import { type CodeSheetRow, codeSheetCsv, codeSheetHtml } from '../domain/code-sheets';
import { requireReferrerStaff } from '../domain/eligibility';

const FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(csv|html)$/i;

export function registerExportRoutes(
  app: FastifyInstance,
  deps: { db: Database; codes: ClaimCodeKeys; verifyToken: TokenVerifier },
) {
  app.get<{ Params: { file: string } }>('/exports/issued-codes/:file', async (request, reply) => {
    const fail = (status: number, code: string, message: string) =>
      reply.code(status).header('cache-control', 'no-store').send({ error: { code, message } });
    let viewer: Viewer | null;
    try {
      viewer = await viewerFromHeader(request.headers.authorization, deps.verifyToken);
    } catch {
      viewer = null;
    }
    if (!viewer) return fail(401, 'UNAUTHENTICATED', 'You must be signed in.');
    const match = FILE.exec(request.params.file);
    const batch = match ? await findBatch(deps.db, match[1]!.toLowerCase()) : null;
    if (!match || !batch) return fail(404, 'NOT_FOUND', 'Batch not found.');
    try {
      requireReferrerStaff(viewer, batch.referrerOrganizationId);
    } catch {
      return fail(403, 'FORBIDDEN', "Only the referrer's staff can print its codes.");
    }
    const rows: CodeSheetRow[] = [];
    for (const grant of await grantsOfBatch(deps.db, batch.id)) {
      const code = grant.claimCodeSealed ? deps.codes.unseal(grant.claimCodeSealed) : null;
      if (!code) continue;
      rows.push({
        line: grant.batchIndex! + 1,
        grantId: grant.id,
        status: grant.status,
        programName: grant.programName,
        amountCents: grant.amountCents,
        claimCode: formatClaimCode(code),
        expiresAt: grant.expiresAt,
      });
    }
    reply.header('cache-control', 'no-store').header('x-content-type-options', 'nosniff');
    if (match[2]!.toLowerCase() === 'csv')
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="codes-${batch.id}.csv"`)
        .send(codeSheetCsv(rows));
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
      .send(codeSheetHtml(rows, `Codici Mentoring — ${rows[0]?.programName ?? ''}`));
  });
}

import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseCommand, required } from '../args';
import type { OpsContext } from '../context';
import { EXIT, OpsError, UsageError } from '../errors';
import type { GraphQLRequest } from '../graphql';
import {
  APPROVE_SETTLEMENT_RUN,
  COMMUNITIES,
  RUN_SETTLEMENT,
  SETTLEMENT_EXPORT,
  SETTLEMENT_RUN,
  type SettlementRun,
} from '../operations';
import { spinnerFrame } from '../output';
import { signedInClient } from '../session';
import { describeRun } from '../settlement-view';

export const settlementUsage = [
  'settlement run --community <slug|id> --period-end YYYY-MM-DD [--key K] [--no-wait] [--timeout S]',
  'settlement status <runId> [--json]',
  'settlement approve <runId>',
  'settlement export <runId> [--out DIR]',
];

/** Runs that no longer change by themselves. */
const SETTLED = new Set<SettlementRun['status']>(['PENDING_APPROVAL', 'APPROVED', 'FAILED']);

const DATE = /^\d{4}-\d{2}-\d{2}$/;

async function fetchRun(api: GraphQLRequest, id: string): Promise<SettlementRun> {
  const { settlementRun } = await api<{ settlementRun: SettlementRun | null }>(SETTLEMENT_RUN, { id });
  if (!settlementRun) throw new OpsError(`Settlement run ${id} not found.`, 'NOT_FOUND');
  return settlementRun;
}

/** A community id from a slug or an id, as `communities { id slug }` lists them. */
async function resolveCommunity(api: GraphQLRequest, slugOrId: string): Promise<string> {
  const { communities } = await api<{ communities: Array<{ id: string; slug: string }> }>(COMMUNITIES);
  const community =
    communities.find((c) => c.slug === slugOrId) ?? communities.find((c) => c.id === slugOrId);
  if (!community) throw new OpsError(`No community has the slug or id "${slugOrId}".`, 'NOT_FOUND');
  return community.id;
}

/** The idempotency key used when none is given: the same run asked twice is the same run. */
export const defaultRunKey = (communityId: string, periodEnd: string) =>
  `ops:settlement:${communityId}:${periodEnd}`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the run until it settles (or the timeout passes), showing a progress line. */
async function followRun(
  api: GraphQLRequest,
  id: string,
  ctx: OpsContext,
  timeoutMs: number,
): Promise<SettlementRun> {
  const started = Date.now();
  for (let tick = 0; ; tick++) {
    const run = await fetchRun(api, id);
    if (SETTLED.has(run.status)) {
      ctx.out.endProgress();
      return run;
    }
    const elapsed = Math.round((Date.now() - started) / 1000);
    if (Date.now() - started > timeoutMs) {
      ctx.out.endProgress();
      throw new OpsError(
        `Run ${id} is still ${run.status} after ${elapsed} s; follow it with \`settlement status ${id}\`.`,
        'TIMEOUT',
      );
    }
    ctx.out.progress(`${spinnerFrame(tick)} run ${id} ${run.status} (${elapsed} s)`);
    await sleep(ctx.pollIntervalMs);
  }
}

function report(run: SettlementRun, ctx: OpsContext): number {
  if (ctx.json) ctx.out.json(run);
  else ctx.out.line(describeRun(run));
  if (run.status !== 'FAILED') return EXIT.ok;
  if (!ctx.json) ctx.out.warn(`Run ${run.id} FAILED.`);
  return EXIT.failure;
}

export async function runSettlement(args: string[], ctx: OpsContext): Promise<number> {
  const { values } = parseCommand(args, {
    community: { type: 'string' },
    'period-end': { type: 'string' },
    key: { type: 'string' },
    'no-wait': { type: 'boolean' },
    timeout: { type: 'string' },
  });
  const slugOrId = required(values.community, 'community');
  const periodEnd = required(values['period-end'], 'period-end');
  if (!DATE.test(periodEnd)) throw new UsageError(`--period-end must be YYYY-MM-DD, not "${periodEnd}"`);
  const timeoutS = Number(values.timeout ?? 600);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw new UsageError('--timeout must be seconds > 0');

  const api = await signedInClient(ctx.configPath, ctx.gatewayUrl);
  const communityId = await resolveCommunity(api, slugOrId);
  const idempotencyKey = values.key ?? defaultRunKey(communityId, periodEnd);
  const { runSettlement: started } = await api<{ runSettlement: Pick<SettlementRun, 'id' | 'status'> }>(
    RUN_SETTLEMENT,
    { input: { communityId, periodEnd, idempotencyKey } },
  );
  if (!ctx.json) ctx.out.warn(`Run ${started.id} ${started.status} (key ${idempotencyKey})`);
  if (values['no-wait']) return report(await fetchRun(api, started.id), ctx);
  return report(await followRun(api, started.id, ctx, timeoutS * 1000), ctx);
}

export async function settlementStatus(args: string[], ctx: OpsContext): Promise<number> {
  const { positionals } = parseCommand(args, {}, ['runId']);
  const api = await signedInClient(ctx.configPath, ctx.gatewayUrl);
  return report(await fetchRun(api, positionals[0]!), ctx);
}

export async function approveSettlement(args: string[], ctx: OpsContext): Promise<number> {
  const { positionals } = parseCommand(args, {}, ['runId']);
  const api = await signedInClient(ctx.configPath, ctx.gatewayUrl);
  const { approveSettlementRun: run } = await api<{ approveSettlementRun: { id: string; status: string } }>(
    APPROVE_SETTLEMENT_RUN,
    { id: positionals[0] },
  );
  if (ctx.json) ctx.out.json(run);
  else ctx.out.line(`Run ${run.id} ${run.status}.`);
  return EXIT.ok;
}

export async function exportSettlement(args: string[], ctx: OpsContext): Promise<number> {
  const { values, positionals } = parseCommand(args, { out: { type: 'string' } }, ['runId']);
  const id = positionals[0]!;
  const api = await signedInClient(ctx.configPath, ctx.gatewayUrl);
  const { settlementRun: run } = await api<{
    settlementRun: { id: string; status: string; sepaXml: string | null; csv: string | null } | null;
  }>(SETTLEMENT_EXPORT, { id });
  if (!run) throw new OpsError(`Settlement run ${id} not found.`, 'NOT_FOUND');
  // The CSV exists once the run is APPROVED; the SEPA file only when something is paid.
  if (run.csv == null)
    throw new OpsError(`Run ${id} is ${run.status}: its bank files exist once it is APPROVED.`, 'NOT_READY');
  const folder = resolve(values.out ?? '.');
  await mkdir(folder, { recursive: true });
  const files = {
    sepaXml: run.sepaXml == null ? null : join(folder, `${id}.pain.001.xml`),
    csv: join(folder, `${id}.csv`),
  };
  if (files.sepaXml && run.sepaXml != null) await writeFile(files.sepaXml, run.sepaXml);
  await writeFile(files.csv, run.csv);
  if (ctx.json) ctx.out.json(files);
  else
    ctx.out.line(
      `${files.sepaXml ? `Wrote ${files.sepaXml}` : 'No SEPA file: the run pays nothing.'}\nWrote ${files.csv}`,
    );
  return EXIT.ok;
}

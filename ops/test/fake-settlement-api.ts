// TODO(settlement): the settlement operations and `ledgerCheck` are being built
// in services/funds right now and are not in the composed supergraph yet. This
// fake answers only those documents (contract: shared/contract/operations.graphql)
// so the commands can be tested; switch these tests to startStack once they compose.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LedgerCheck, SettlementRun } from '../src/operations';

type Handler = (variables: Record<string, unknown>) => unknown;

export const FAKE_TOKEN = `e30.${Buffer.from(JSON.stringify({ exp: 4102444800 })).toString('base64url')}.sig`;

class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface FakeSettlementApi {
  url: string;
  /** `runSettlement` inputs received, in order. */
  runInputs: Array<Record<string, unknown>>;
  /** Status each poll of a run moves through; the last one stays. */
  script: SettlementRun['status'][];
  ledger: LedgerCheck;
  close(): Promise<void>;
}

/** A GraphQL-over-HTTP stand-in for the settlement API of one community, `vigevano`. */
export async function startFakeSettlementApi(): Promise<FakeSettlementApi> {
  const runs = new Map<string, SettlementRun & { polls: number }>();
  const fake: Omit<FakeSettlementApi, 'url' | 'close'> = {
    runInputs: [],
    script: ['QUEUED', 'RUNNING', 'RUNNING', 'PENDING_APPROVAL'],
    ledger: { ok: true, invariants: [{ name: 'posted balances sum to zero', ok: true, details: null }] },
  };
  const runById = (id: unknown) => {
    const run = runs.get(String(id));
    if (!run) throw new ApiError('NOT_FOUND', 'Settlement run not found.');
    return run;
  };
  const visible = ({ polls: _, ...run }: SettlementRun & { polls: number }) => run;

  const handlers: Record<string, Handler> = {
    Communities: () => ({ communities: [{ id: 'c-1', slug: 'vigevano' }] }),
    RunSettlement: ({ input }) => {
      fake.runInputs.push(input as Record<string, unknown>);
      const { idempotencyKey, periodEnd } = input as Record<string, string>;
      const id = `run-${idempotencyKey!.length}-${runs.size + 1}`;
      runs.set(id, {
        id,
        status: 'QUEUED',
        periodEnd: periodEnd!,
        totalCents: 24_000,
        polls: 0,
        payouts: [
          {
            id: 'p-1',
            status: 'PENDING_APPROVAL',
            amountCents: 16_000,
            redemptionCount: 2,
            provider: { id: 'o-1', name: 'Istituto Musicale Costa' },
          },
          {
            id: 'p-2',
            status: 'PENDING_APPROVAL',
            amountCents: 8_000,
            redemptionCount: 1,
            provider: { id: 'o-2', name: 'Piscina Comunale' },
          },
        ],
      });
      return { runSettlement: { id, status: 'QUEUED', periodEnd } };
    },
    SettlementRun: ({ id }) => {
      const run = runById(id);
      if (run.status !== 'APPROVED') run.status = fake.script[Math.min(run.polls++, fake.script.length - 1)]!;
      return { settlementRun: visible(run) };
    },
    ApproveSettlementRun: ({ id }) => {
      const run = runById(id);
      if (run.status !== 'PENDING_APPROVAL') throw new ApiError('ALREADY_FINAL', `The run is ${run.status}.`);
      run.status = 'APPROVED';
      return { approveSettlementRun: { id: run.id, status: run.status } };
    },
    SettlementExport: ({ id }) => {
      const run = runById(id);
      const ready = run.status === 'APPROVED';
      return {
        settlementRun: {
          id: run.id,
          status: run.status,
          sepaXml: ready
            ? `<Document><CstmrCdtTrfInitn><GrpHdr><MsgId>${run.id}</MsgId></GrpHdr></CstmrCdtTrfInitn></Document>`
            : null,
          csv: ready ? 'payout,provider,amount_cents\np-1,Istituto Musicale Costa,16000\n' : null,
        },
      };
    },
    MarkPayoutPaid: ({ id, bankReference }) => {
      if (id !== 'p-1') throw new ApiError('NOT_FOUND', 'Payout not found.');
      if (!bankReference) throw new ApiError('BAD_USER_INPUT', 'A bank reference is required.');
      return { markPayoutPaid: { id, status: 'PAID' } };
    },
    LedgerCheck: () => ({ ledgerCheck: fake.ledger }),
  };

  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const { query, variables } = JSON.parse(body) as { query: string; variables: Record<string, unknown> };
      const operation = /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? '';
      let payload: unknown;
      try {
        if (request.headers.authorization !== `Bearer ${FAKE_TOKEN}`)
          throw new ApiError('UNAUTHENTICATED', 'You must be signed in.');
        const handler = handlers[operation];
        if (!handler) throw new ApiError('GRAPHQL_VALIDATION_FAILED', `Unknown operation ${operation}.`);
        payload = { data: handler(variables ?? {}) };
      } catch (error) {
        const { code, message } = error as ApiError;
        payload = { data: null, errors: [{ message, extensions: { code } }] };
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(fake, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

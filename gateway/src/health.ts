import type { Fetcher } from './subgraph-fetcher';
import type { SubgraphEndpoint } from './supergraph-file';

/**
 * How readiness asks a subgraph whether it answers:
 * - `graphql`: POST `{ __typename }` to its GraphQL URL (any GraphQL server answers it);
 * - `healthz`: GET `<origin>/healthz`, expecting a 2xx.
 */
export type ReadinessProbe = 'graphql' | 'healthz';

export interface SubgraphStatus {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}

async function probeOne(
  fetch: Fetcher,
  endpoint: SubgraphEndpoint,
  probe: ReadinessProbe,
  timeoutMs: number,
): Promise<SubgraphStatus> {
  const started = performance.now();
  const signal = AbortSignal.timeout(timeoutMs);
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response =
      probe === 'healthz'
        ? await fetch(new URL('/healthz', endpoint.url).toString(), { method: 'GET', signal })
        : await fetch(endpoint.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json' },
            body: JSON.stringify({ query: '{ __typename }' }),
            signal,
          });
    if (!response.ok)
      return { name: endpoint.name, ok: false, ms: elapsed(), error: `HTTP ${response.status}` };
    if (probe === 'graphql') {
      const body = (await response.json()) as { data?: { __typename?: unknown } };
      if (typeof body?.data?.__typename !== 'string')
        return { name: endpoint.name, ok: false, ms: elapsed(), error: 'no GraphQL data in the answer' };
    }
    return { name: endpoint.name, ok: true, ms: elapsed() };
  } catch (error) {
    const reason = signal.aborted
      ? `no answer within ${timeoutMs} ms`
      : ((error as NodeJS.ErrnoException).code ?? (error as Error).message);
    return { name: endpoint.name, ok: false, ms: elapsed(), error: reason };
  }
}

/** Probes every subgraph at once. */
export async function checkSubgraphs(
  fetch: Fetcher,
  endpoints: readonly SubgraphEndpoint[],
  { probe = 'graphql', timeoutMs = 2000 }: { probe?: ReadinessProbe; timeoutMs?: number } = {},
): Promise<{ ready: boolean; subgraphs: SubgraphStatus[] }> {
  const subgraphs = await Promise.all(
    endpoints.map((endpoint) => probeOne(fetch, endpoint, probe, timeoutMs)),
  );
  return { ready: subgraphs.length > 0 && subgraphs.every((s) => s.ok), subgraphs };
}

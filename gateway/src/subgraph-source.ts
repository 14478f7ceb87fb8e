import { type GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher } from './subgraph-fetcher';

/** What each /graphql request carries through the gateway. */
export type GatewayContext = {
  requestId: string;
  /** The incoming `authorization` header, forwarded as is to subgraphs. */
  authorization?: string;
  /** The client's address, forwarded as `x-forwarded-for` (subgraphs rate-limit per IP). */
  clientIp?: string;
  /** What `authenticate` returned, when the gateway was given one. */
  viewer?: unknown;
};

/** Calls one subgraph, forwarding the request's `authorization` and `x-request-id`. */
export class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(url: string, fetcher: Fetcher) {
    super({ url, fetcher });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http?.headers;
    // Health checks and other non-request calls have no incoming request to forward from.
    if (!headers || !context || !('requestId' in context)) return;
    headers.set('x-request-id', context.requestId);
    if (context.authorization) headers.set('authorization', context.authorization);
    // Subgraphs rate-limit per client IP: tell them whose request this is.
    if (context.clientIp) headers.set('x-forwarded-for', context.clientIp);
  }
}

/** Resolves a subgraph's URL: `<NAME>_URL` override first, else the URL in the supergraph. */
export function subgraphUrlResolver(overrides: Record<string, string>) {
  const byName = new Map(
    Object.entries(overrides).map(([name, url]) => [name.toUpperCase().replace(/[^A-Z0-9]/g, '_'), url]),
  );
  return (name: string, supergraphUrl: string | undefined): string => {
    const url = byName.get(name.toUpperCase().replace(/[^A-Z0-9]/g, '_')) ?? supergraphUrl;
    if (!url) throw new Error(`subgraph "${name}" has no URL in the supergraph and no override`);
    return url;
  };
}

import { OpsError } from './errors';

interface GraphQLBody<D> {
  data?: D | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

export type GraphQLRequest = <D>(query: string, variables?: Record<string, unknown>) => Promise<D>;

/**
 * Calls the public GraphQL API as any client would. Resolves with `data`;
 * rejects with an `OpsError` carrying the first error's `extensions.code`.
 */
export function gatewayClient(url: string, token?: string): GraphQLRequest {
  return async <D>(query: string, variables: Record<string, unknown> = {}) => {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
    } catch (error) {
      const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new OpsError(`The API at ${url} does not answer (${reason}).`, 'UNREACHABLE');
    }
    let body: GraphQLBody<D>;
    try {
      body = (await response.json()) as GraphQLBody<D>;
    } catch {
      throw new OpsError(
        `The API at ${url} answered HTTP ${response.status} without GraphQL.`,
        'BAD_RESPONSE',
      );
    }
    const [first] = body.errors ?? [];
    if (first) throw new OpsError(first.message, first.extensions?.code ?? `HTTP_${response.status}`);
    if (!body.data)
      throw new OpsError(`The API answered HTTP ${response.status} without data.`, 'BAD_RESPONSE');
    return body.data;
  };
}

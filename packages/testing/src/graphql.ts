export interface GraphQLResponse<D = Record<string, unknown>> {
  data?: D | null;
  errors?: Array<{
    message: string;
    path?: unknown[];
    extensions?: Record<string, unknown> & { code?: string };
  }>;
  status: number;
}

/** A minimal GraphQL-over-HTTP client, as a frontend would call us. */
export function graphqlClient(
  url: string,
  defaults: { token?: string; headers?: Record<string, string> } = {},
) {
  return async function request<D = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options: { token?: string | undefined; headers?: Record<string, string> } = {},
  ): Promise<GraphQLResponse<D>> {
    const token = 'token' in options ? options.token : defaults.token;
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...defaults.headers,
        ...options.headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Omit<GraphQLResponse<D>, 'status'>;
    return { ...body, status: response.status };
  };
}

/** The `extensions.code` of each error, for assertions. */
export const errorCodes = (response: GraphQLResponse<unknown>) =>
  (response.errors ?? []).map((e) => e.extensions?.code);

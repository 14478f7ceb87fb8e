import http from 'node:http';
import https from 'node:https';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';

/** The fetch signature RemoteGraphQLDataSource calls (from @apollo/utils.fetcher). */
export type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherRequestInit = NonNullable<Parameters<Fetcher>[1]>;
type FetcherResponse = Awaited<ReturnType<Fetcher>>;

export interface SubgraphFetcherOptions {
  /** Whole-request deadline (connect, send, wait, read), in ms. */
  timeoutMs: number;
  /** Open sockets per subgraph origin; requests beyond it queue. */
  maxSockets: number;
  /** Largest response body accepted, in bytes (default 16 MiB). */
  maxResponseBytes?: number;
}

export interface SubgraphFetcher {
  fetch: Fetcher;
  /** Closes the pooled sockets. */
  close(): void;
}

export class SubgraphTimeoutError extends Error {
  override name = 'SubgraphTimeoutError';
}

/** A response whose body has been read whole, as RemoteGraphQLDataSource expects. */
class BufferedResponse implements FetcherResponse {
  readonly bodyUsed = false;
  readonly redirected = false;
  readonly ok: boolean;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    readonly headers: Headers,
    private readonly body: Buffer,
  ) {
    this.ok = status >= 200 && status < 300;
  }

  async text(): Promise<string> {
    return this.body.toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.body.toString('utf8'));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return new Uint8Array(this.body).buffer;
  }

  clone(): BufferedResponse {
    return new BufferedResponse(this.url, this.status, this.statusText, new Headers(this.headers), this.body);
  }
}

function toHeaders(raw: http.IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/**
 * A fetch-compatible function over node:http(s) for subgraph calls: keep-alive sockets,
 * at most `maxSockets` per origin, and a deadline on every request. (The gateway's
 * top-level `fetcher` option does not reach subgraphs; this goes to each data source.)
 */
export function createSubgraphFetcher(options: SubgraphFetcherOptions): SubgraphFetcher {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets, scheduling: 'lifo' as const };
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
  const maxBytes = options.maxResponseBytes ?? 16 * 1024 * 1024;

  const fetch = (url: string, init: FetcherRequestInit = {}): Promise<FetcherResponse> =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      if (!secure && target.protocol !== 'http:') {
        reject(new Error(`unsupported subgraph URL protocol: ${target.protocol}`));
        return;
      }
      const deadline = AbortSignal.timeout(options.timeoutMs);
      const signal = init.signal ? AbortSignal.any([deadline, init.signal as AbortSignal]) : deadline;
      const fail = (error: Error) => {
        if (deadline.aborted) {
          reject(new SubgraphTimeoutError(`${target.origin} did not answer within ${options.timeoutMs} ms`));
        } else reject(error);
      };
      const body = init.body === undefined ? undefined : Buffer.from(init.body);
      const headers: Record<string, string | number> = { ...init.headers };
      if (body) headers['content-length'] = body.byteLength;

      const request = (secure ? https : http).request(
        target,
        { method: init.method ?? 'GET', headers, agent: secure ? agents.https : agents.http, signal },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.byteLength;
            if (size > maxBytes) {
              request.destroy(new Error(`${target.origin} answered with more than ${maxBytes} bytes`));
              return;
            }
            chunks.push(chunk);
          });
          response.on('error', fail);
          response.on('end', () => {
            resolve(
              new BufferedResponse(
                url,
                response.statusCode ?? 0,
                response.statusMessage ?? '',
                toHeaders(response.headers),
                Buffer.concat(chunks),
              ),
            );
          });
        },
      );
      request.on('error', fail);
      request.end(body);
    });

  return {
    fetch,
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

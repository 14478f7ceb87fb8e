import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { createLogger, createTokenVerifier, type Logger, type TokenVerifier } from '@mentoring/subgraph-kit';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { accessOf, clearedCookie, operatorLogin, sessionCookie } from './dashboard-auth';
import { loginPage, PAGE_CSP } from './dashboard-pages';
import { OpsError } from './errors';
import { openQueues } from './queues';

/** Where Bull Board is mounted. */
export const BOARD_PATH = '/queues';

export interface DashboardOptions {
  redisUrl: string;
  /** BullMQ prefix of the platform's queues (`REDIS_PREFIX`). */
  redisPrefix: string;
  /** The gateway's GraphQL endpoint, where the login form signs operators in. */
  gatewayUrl: string;
  /** Verifies access tokens: identity's JWKS URL, or a verifier (tests). */
  auth: { jwksUrl: string } | { verifyToken: TokenVerifier };
  /** Adds `Secure` to the session cookie (behind HTTPS). */
  secureCookie?: boolean;
  logger?: Logger;
}

export interface Dashboard {
  app: FastifyInstance;
  /** Returns the base URL, e.g. `http://127.0.0.1:4006`. */
  listen(options: { port: number; host?: string }): Promise<string>;
  close(): Promise<void>;
}

const READY_TIMEOUT_MS = 2000;

const wantsHtml = (request: FastifyRequest) =>
  !request.url.startsWith(`${BOARD_PATH}/api/`) && (request.headers.accept ?? '').includes('text/html');

/**
 * The queue dashboard: Bull Board over the four platform queues, for
 * operators only (session cookie from `/login`, or `Authorization: Bearer`).
 */
export async function createDashboard(options: DashboardOptions): Promise<Dashboard> {
  const log = options.logger ?? createLogger('ops-dashboard');
  const verify = 'verifyToken' in options.auth ? options.auth.verifyToken : createTokenVerifier(options.auth);
  const queues = await openQueues({ redisUrl: options.redisUrl, prefix: options.redisPrefix });

  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 16 * 1024,
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );

  app.get('/healthz', async () => ({ status: 'ok', service: 'ops-dashboard' }));
  app.get('/readyz', async (_request, reply) => {
    const ping = queues.redis.ping();
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('no answer')), READY_TIMEOUT_MS).unref(),
    );
    try {
      await Promise.race([ping, timeout]);
      return { status: 'ok', service: 'ops-dashboard', checks: { redis: 'ok' } };
    } catch (error) {
      return reply.code(503).send({
        status: 'unavailable',
        service: 'ops-dashboard',
        checks: { redis: (error as Error).message },
      });
    }
  });

  const page = (reply: FastifyReply, status: number, html: string) =>
    reply
      .code(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', PAGE_CSP)
      .header('cache-control', 'no-store')
      .send(html);

  app.get('/', (_request, reply) => reply.redirect(`${BOARD_PATH}/`, 303));
  app.get('/login', (_request, reply) => page(reply, 200, loginPage()));
  app.post('/login', async (request, reply) => {
    const { email = '', password = '' } = (request.body ?? {}) as Record<string, string | undefined>;
    if (!email || !password)
      return page(reply, 400, loginPage({ email, error: 'Email and password, please.' }));
    try {
      const token = await operatorLogin(options.gatewayUrl, email, password);
      reply.header('set-cookie', sessionCookie(token, { secure: options.secureCookie ?? false }));
      return reply.redirect(`${BOARD_PATH}/`, 303);
    } catch (error) {
      const code = error instanceof OpsError ? error.code : undefined;
      if (code === 'FORBIDDEN')
        return page(reply, 403, loginPage({ email, error: (error as Error).message }));
      if (code === 'UNAUTHENTICATED' || code === 'BAD_USER_INPUT' || code === 'RATE_LIMITED')
        return page(reply, 401, loginPage({ email, error: (error as Error).message }));
      log.error({ err: error }, 'login through the gateway failed');
      return page(
        reply,
        502,
        loginPage({ email, error: 'The platform does not answer; try again shortly.' }),
      );
    }
  });
  app.post('/logout', (_request, reply) => reply.header('set-cookie', clearedCookie).redirect('/login', 303));

  const board = new FastifyAdapter();
  board.setBasePath(BOARD_PATH);
  createBullBoard({
    queues: queues.all().map((queue) => new BullMQAdapter(queue)),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'Mentoring queues' } },
  });
  await app.register(async (operatorsOnly) => {
    operatorsOnly.addHook('onRequest', async (request, reply) => {
      const access = await accessOf(request.headers, verify);
      if (access.kind === 'operator') return;
      if (access.kind === 'forbidden') {
        if (wantsHtml(request))
          return page(reply, 403, loginPage({ error: 'Only operators can open the queue dashboard.' }));
        return reply
          .code(403)
          .send({ error: 'FORBIDDEN', message: 'Only operators can open the queue dashboard.' });
      }
      if (wantsHtml(request)) return reply.redirect('/login', 303);
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({
          error: 'UNAUTHENTICATED',
          message: access.kind === 'invalid' ? access.reason : 'Sign in first.',
        });
    });
    await operatorsOnly.register(board.registerPlugin(), { prefix: BOARD_PATH });
  });

  return {
    app,
    async listen({ port, host = '127.0.0.1' }) {
      await app.listen({ port, host });
      const address = app.server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      return `http://${host}:${bound}`;
    },
    async close() {
      await app.close();
      await queues.close();
    },
  };
}

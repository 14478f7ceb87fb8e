import './telemetry-off';
import { pino } from 'pino';
import { ConfigError, loadConfig } from './config';
import type { Gateway } from './gateway';

/** How long a SIGTERM/SIGINT waits for in-flight requests before giving up. */
const SHUTDOWN_GRACE_MS = 15_000;

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }

  const logger = pino({ level: config.logLevel, base: { service: 'gateway' } });
  const overrides = Object.keys(config.subgraphUrls);
  if (overrides.length > 0) logger.info({ subgraphUrls: config.subgraphUrls }, 'subgraph URL overrides');

  let gateway: Gateway;
  try {
    // Loaded after the environment is known good: Apollo's modules are heavy to import.
    const { createGateway } = await import('./gateway');
    const { createTokenVerifier, viewerFromHeader } = await import('@mentoring/subgraph-kit');
    // The edge refuses bad tokens early; every subgraph verifies them again.
    const verifyToken = createTokenVerifier({ jwksUrl: config.jwksUrl });
    gateway = await createGateway({
      supergraphPath: config.supergraphPath,
      production: config.production,
      host: config.host,
      port: config.port,
      subgraphUrls: config.subgraphUrls,
      subgraphTimeoutMs: config.subgraphTimeoutMs,
      subgraphMaxSockets: config.subgraphMaxSockets,
      authenticate: (request) => viewerFromHeader(request.headers.authorization, verifyToken),
      logger,
    });
  } catch (error) {
    logger.fatal({ err: error, supergraphPath: config.supergraphPath }, 'gateway failed to start');
    process.exit(1);
  }
  logger.info({ url: gateway.url, supergraphPath: config.supergraphPath }, 'gateway ready');

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining requests');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    const exit = (code: number) => logger.flush(() => process.exit(code));
    gateway.close().then(
      () => {
        logger.info('gateway stopped');
        exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'error while shutting down');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

await main();

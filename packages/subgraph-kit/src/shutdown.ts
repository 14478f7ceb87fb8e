import type { Logger } from './logger';

/**
 * On SIGTERM or SIGINT: run `close` (drain HTTP, stop workers, close pools)
 * and exit 0; a second signal or a 20 s overrun exits at once.
 */
export function exitOnSignal(close: () => Promise<unknown>, log: Logger, { graceMs = 20_000 } = {}) {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, graceMs);
    force.unref();
    close().then(
      () => process.exit(0),
      (error) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

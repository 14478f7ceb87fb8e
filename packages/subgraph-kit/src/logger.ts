import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs, one line per event, named after the process. */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, base: { service: name }, timestamp: pino.stdTimeFunctions.isoTime });
}

export * from './auth';
export { baseEnv, loadEnv, port } from './config';
export * from './errors';
export { type InternalRoute, type InternalRoutes, internalRoute } from './internal';
export { byKeys, Loaders } from './loaders';
export { createLogger, type Logger } from './logger';
export { connectRedis, openRuntime, type Runtime, type RuntimeOptions } from './runtime';
export { secretFromEnvOrDataDir, serviceTokenSecret } from './secrets';
export {
  type BaseContext,
  createSubgraph,
  drainAndClose,
  type Subgraph,
  type SubgraphOptions,
} from './server';
export { exitOnSignal } from './shutdown';

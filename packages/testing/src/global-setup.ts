import type { TestProject } from 'vitest/node';
import { findTestServers } from './servers';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    redisUrl: string;
  }
}

/** Vitest global setup: finds (or starts) PostgreSQL and Redis once per run. */
export default async function setup(project: TestProject) {
  const servers = await findTestServers();
  project.provide('postgresUrl', servers.postgresUrl);
  project.provide('redisUrl', servers.redisUrl);
  console.log(`tests use PostgreSQL from ${servers.source.postgres} and Redis from ${servers.source.redis}`);
  return () => servers.stop();
}

import { type FSWatcher, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { SupergraphSdlHook } from '@apollo/gateway';
import { Kind, parse, valueFromASTUntyped } from 'graphql';
import type { Logger } from 'pino';

export interface SubgraphEndpoint {
  name: string;
  url: string;
}

/** The subgraphs a supergraph routes to, from its `join__Graph` enum. */
export function listSubgraphs(supergraphSdl: string): SubgraphEndpoint[] {
  const endpoints: SubgraphEndpoint[] = [];
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const directive = value.directives?.find((d) => d.name.value === 'join__graph');
      const args = Object.fromEntries(
        (directive?.arguments ?? []).map((arg) => [arg.name.value, valueFromASTUntyped(arg.value)]),
      );
      if (typeof args.name === 'string' && typeof args.url === 'string')
        endpoints.push({ name: args.name, url: args.url });
    }
  }
  return endpoints;
}

export interface SupergraphFile {
  /** For ApolloGateway's `supergraphSdl` option. */
  hook: SupergraphSdlHook;
  /** The supergraph SDL the gateway serves now (undefined before it loaded). */
  current(): string | undefined;
}

export interface SupergraphFileOptions {
  path: string;
  /** Reload when the file changes (development). */
  watch: boolean;
  logger: Logger;
  /** Waits this long after the last change event before reloading (editors write in bursts). */
  debounceMs?: number;
}

/**
 * The supergraph from a file. With `watch`, a changed file is loaded into the running
 * gateway; a file that cannot be read or does not load leaves the previous supergraph serving.
 */
export function supergraphFromFile(options: SupergraphFileOptions): SupergraphFile {
  const { path, logger } = options;
  let current: string | undefined;

  const hook: SupergraphSdlHook = async ({ update }) => {
    current = await readFile(path, 'utf8');
    if (!options.watch) return { supergraphSdl: current };

    let timer: NodeJS.Timeout | undefined;
    const reload = async () => {
      let next: string;
      try {
        next = await readFile(path, 'utf8');
      } catch (error) {
        logger.error(
          { err: error, path },
          'cannot read the changed supergraph; still serving the previous one',
        );
        return;
      }
      if (next === current) return;
      try {
        update(next);
        current = next;
        logger.info({ path, subgraphs: listSubgraphs(next).map((s) => s.name) }, 'supergraph reloaded');
      } catch (error) {
        logger.error(
          { err: error, path },
          'the changed supergraph does not load; still serving the previous one',
        );
      }
    };
    // Watch the directory, not the file: `npm run compose` and editors may replace the file.
    const watcher: FSWatcher = watch(dirname(path), (_event, filename) => {
      if (filename !== null && filename !== basename(path)) return;
      clearTimeout(timer);
      timer = setTimeout(() => void reload(), options.debounceMs ?? 100);
    });
    watcher.on('error', (error) => logger.error({ err: error, path }, 'supergraph watcher failed'));
    logger.info({ path }, 'watching the supergraph file for changes');

    return {
      supergraphSdl: current,
      cleanup: async () => {
        clearTimeout(timer);
        watcher.close();
      },
    };
  };

  return { hook, current: () => current };
}

#!/usr/bin/env node
// `npm start`: builds what is missing, composes the supergraph, and runs the
// four subgraphs, the notifications worker, the queue dashboard (ops) and the gateway as separate
// processes with prefixed logs.
// Each service creates and migrates its own database at start. Ctrl-C stops all.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env };
const say = (line) => console.log(`[start] ${line}`);
const fail = (line) => {
  console.error(`[start] ${line}`);
  process.exit(1);
};

const SERVICES = [
  { name: 'identity', dir: 'services/identity', port: 4001 },
  { name: 'funds', dir: 'services/funds', port: 4002 },
  { name: 'catalog', dir: 'services/catalog', port: 4003 },
  { name: 'redemption', dir: 'services/redemption', port: 4004 },
  { name: 'notifications', dir: 'services/notifications', port: 4005, worker: true },
  { name: 'ops', dir: 'ops', port: 4006, worker: true, main: 'dashboard-main' },
];
const GATEWAY = { name: 'gateway', dir: 'gateway', port: 4000 };

// ------------------------------------------------------------ configuration
env.NODE_ENV ??= 'development';
env.APOLLO_TELEMETRY_DISABLED = '1';
env.DATA_DIR = resolve(root, env.DATA_DIR ?? '.data');
env.DEMO_DATA ??= env.NODE_ENV === 'production' ? '0' : '1';
env.REDIS_URL ??= 'redis://127.0.0.1:6379';
mkdirSync(env.DATA_DIR, { recursive: true });
if (!env.SERVICE_TOKEN_SECRET) {
  if (env.NODE_ENV === 'production') fail('SERVICE_TOKEN_SECRET must be set in production.');
  const file = join(env.DATA_DIR, 'service-token-secret');
  if (!existsSync(file))
    writeFileSync(file, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
  env.SERVICE_TOKEN_SECRET = readFileSync(file, 'utf8').trim();
}
if (env.DEMO_DATA === '1' && !env.OPERATOR_EMAIL) {
  env.OPERATOR_EMAIL = 'operator@mentoring.test';
  env.OPERATOR_PASSWORD ??= 'mentoring-operator';
  say(`demo operator: ${env.OPERATOR_EMAIL} / ${env.OPERATOR_PASSWORD}`);
}
for (const service of [...SERVICES, GATEWAY]) {
  const key = `${service.name.toUpperCase()}_PORT`;
  service.port = Number(env[key] ?? service.port);
  if (service !== GATEWAY)
    env[`${service.name.toUpperCase()}_URL`] ??= `http://127.0.0.1:${service.port}/graphql`;
}
env.JWKS_URL ??= `http://127.0.0.1:${SERVICES[0].port}/.well-known/jwks.json`;
env.GATEWAY_URL ??= `http://127.0.0.1:${GATEWAY.port}/graphql`;

// ---------------------------------------------------------- fail fast on Redis
const redis = new URL(env.REDIS_URL);
await new Promise((ok) => {
  const socket = createConnection({ host: redis.hostname, port: Number(redis.port || 6379) });
  socket.setTimeout(3000);
  socket.on('connect', () => {
    socket.removeAllListeners();
    socket.destroy();
    ok();
  });
  const refuse = () =>
    fail(`Redis is not reachable at ${env.REDIS_URL}. Start Redis (e.g. redis-server) or set REDIS_URL.`);
  socket.on('error', refuse);
  socket.on('timeout', refuse);
});
say(
  env.DATABASE_URL
    ? `PostgreSQL: ${new URL(env.DATABASE_URL).host}`
    : `embedded PGlite under ${env.DATA_DIR}`,
);

// ------------------------------------------------------------------- build
const newestMtime = (dir) => {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
};
const packagesMtime = newestMtime(join(root, 'packages'));
for (const service of [...SERVICES, GATEWAY]) {
  const dir = join(root, service.dir);
  const main = service.main ?? 'main';
  const built = join(dir, `dist/${main}.js`);
  const stale =
    !existsSync(built) || statSync(built).mtimeMs < Math.max(newestMtime(join(dir, 'src')), packagesMtime);
  if (!stale) continue;
  say(`building ${service.name}`);
  const result = spawnSync(process.execPath, [join(root, 'scripts/build-service.mjs'), `src/${main}.ts`], {
    cwd: dir,
    stdio: 'inherit',
  });
  if (result.status !== 0) fail(`building ${service.name} failed`);
}

// ----------------------------------------------------------------- compose
const compose = spawnSync(process.execPath, ['--import', 'tsx', 'infra/supergraph/compose.ts'], {
  cwd: root,
  stdio: 'inherit',
  env,
});
if (compose.status !== 0) fail('composition failed: fix the subgraph schemas above');

// ------------------------------------------------------------------- run
const children = new Map();
let stopping = false;
const colors = [36, 32, 33, 35, 34];
function run(service, index) {
  const child = spawn(process.execPath, ['--enable-source-maps', `dist/${service.main ?? 'main'}.js`], {
    cwd: join(root, service.dir),
    env: { ...env, PORT: String(service.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `\x1b[${colors[index % colors.length]}m[${service.name}]\x1b[0m `;
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream.on('data', (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop();
      for (const line of lines) process.stdout.write(`${prefix}${line}\n`);
    });
  }
  child.on('exit', (code, signal) => {
    children.delete(service.name);
    if (!stopping) {
      say(`${service.name} exited (${signal ?? code}); stopping everything`);
      stop(1);
    } else if (children.size === 0) process.exit(process.exitCode ?? 0);
  });
  children.set(service.name, child);
}
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  if (children.size === 0) process.exit(code);
  for (const child of children.values()) child.kill('SIGTERM');
  setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
    process.exit(code || 1);
  }, 25_000).unref();
}
process.on('exit', () => {
  // Never leave a child behind, however this process ends.
  for (const child of children.values()) child.kill('SIGKILL');
});
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function healthy(port, deadline) {
  while (Date.now() < deadline && !stopping) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return true;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

SERVICES.forEach(run);
const deadline = Date.now() + 60_000;
for (const service of SERVICES) {
  if (!(await healthy(service.port, deadline))) {
    if (!stopping) say(`${service.name} did not become healthy within 60 s`);
    stop(1);
    break;
  }
}
if (!stopping) {
  run(GATEWAY, SERVICES.length);
  if (await healthy(GATEWAY.port, Date.now() + 30_000)) {
    say(`ready: http://127.0.0.1:${GATEWAY.port}/graphql`);
    if (env.DEMO_DATA === '1' && existsSync(join(root, 'scripts/demo-data.mjs'))) {
      const demo = spawnSync(process.execPath, [join(root, 'scripts/demo-data.mjs')], {
        cwd: root,
        env,
        stdio: 'inherit',
      });
      if (demo.status !== 0) say('demo data could not be loaded (see above); the platform keeps running');
    }
  }
}

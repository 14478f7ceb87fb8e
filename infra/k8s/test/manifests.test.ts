import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type KubeObject, renderKustomization } from '../render';
import { validateObjects } from '../validate';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const base = renderKustomization(join(root, 'infra/k8s/base'));
const overlay = renderKustomization(join(root, 'infra/k8s/overlays/example'));
const PROCESSES = ['gateway', 'identity', 'funds', 'catalog', 'redemption', 'notifications'];

type Container = {
  image: string;
  command: string[];
  ports: Array<{ name: string; containerPort: number }>;
  env: Array<{ name: string; value: string }>;
  envFrom: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  readinessProbe: { httpGet: { path: string; port: string } };
  livenessProbe: { httpGet: { path: string; port: string } };
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
};
const ofKind = (objects: KubeObject[], kind: string) => objects.filter((o) => o.kind === kind);
const podLabels = (deployment: KubeObject) =>
  (deployment as unknown as { spec: { template: { metadata: { labels: Record<string, string> } } } }).spec
    .template.metadata.labels;
const containerOf = (deployment: KubeObject) =>
  (deployment as unknown as { spec: { template: { spec: { containers: Container[] } } } }).spec.template.spec
    .containers[0]!;

describe('the Kubernetes manifests', () => {
  it('are valid Kubernetes objects, in the base and in the example overlay', () => {
    expect(validateObjects(base)).toEqual([]);
    expect(validateObjects(overlay)).toEqual([]);
    expect(base.length).toBeGreaterThan(10);
  });

  it('run one Deployment per process, each from the one image with its own entry point', () => {
    const deployments = ofKind(base, 'Deployment');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([...PROCESSES].sort());
    for (const deployment of deployments) {
      const container = containerOf(deployment);
      expect(container.image).toBe('mentoring');
      const script = container.command.at(-1)!;
      expect(script).toMatch(/^(gateway|services\/[a-z]+)\/dist\/main\.js$/);
      expect(existsSync(join(root, script.replace('dist/main.js', 'src/main.ts')))).toBe(true);
    }
  });

  it('probe readiness on /readyz and liveness on /healthz, on the port the process listens on', () => {
    for (const deployment of ofKind(base, 'Deployment')) {
      const container = containerOf(deployment);
      expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      const port = container.env.find((e) => e.name === 'PORT')?.value;
      expect(container.ports).toEqual([{ name: 'http', containerPort: Number(port) }]);
      expect(container.resources.requests).toMatchObject({
        cpu: expect.any(String),
        memory: expect.any(String),
      });
      expect(container.resources.limits?.memory).toBeDefined();
    }
  });

  it('wire every Service, autoscaler and configuration reference to something that exists', () => {
    const deployments = ofKind(base, 'Deployment');
    for (const service of ofKind(base, 'Service')) {
      const selector = (service as unknown as { spec: { selector: Record<string, string> } }).spec.selector;
      const selected = deployments.filter((d) =>
        Object.entries(selector).every(([key, value]) => podLabels(d)[key] === value),
      );
      expect(selected.map((d) => d.metadata.name)).toEqual([service.metadata.name]);
    }
    const scaled = ofKind(base, 'HorizontalPodAutoscaler').map(
      (hpa) => (hpa as unknown as { spec: { scaleTargetRef: { name: string } } }).spec.scaleTargetRef.name,
    );
    expect(scaled.sort()).toEqual(PROCESSES.filter((p) => p !== 'notifications').sort());
    const names = (kind: string) => ofKind(base, kind).map((o) => o.metadata.name);
    for (const deployment of deployments)
      for (const from of containerOf(deployment).envFrom) {
        if (from.configMapRef) expect(names('ConfigMap')).toContain(from.configMapRef.name);
        if (from.secretRef) expect(names('Secret')).toContain(from.secretRef.name);
      }
  });

  it('tell the gateway where every subgraph of subgraphs.json runs', () => {
    const config = ofKind(base, 'ConfigMap')[0] as unknown as { data: Record<string, string> };
    const subgraphs = JSON.parse(
      readFileSync(join(root, 'infra/supergraph/subgraphs.json'), 'utf8'),
    ) as Array<{
      name: string;
    }>;
    for (const { name } of subgraphs) expect(config.data[`${name.toUpperCase()}_URL`]).toMatch(/^http:\/\//);
  });

  it('put everything of the overlay in its namespace, with the registry image and its own settings', () => {
    for (const object of overlay.filter((o) => o.kind !== 'Namespace'))
      expect(object.metadata.namespace).toBe('mentoring-staging');
    for (const deployment of ofKind(overlay, 'Deployment'))
      expect(containerOf(deployment).image).toBe('registry.example.org/mentoring:0.1.0');
    const gatewayHpa = overlay.find(
      (o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'gateway',
    );
    expect(gatewayHpa).toMatchObject({
      spec: { minReplicas: 3, maxReplicas: 20, scaleTargetRef: { name: 'gateway' } },
    });
    const config = ofKind(overlay, 'ConfigMap')[0] as unknown as { data: Record<string, string> };
    expect(config.data).toMatchObject({ LOG_LEVEL: 'debug', NODE_ENV: 'production' });
  });

  it('catches an object Kubernetes would refuse', () => {
    const broken = structuredClone(ofKind(base, 'Deployment')[0]!) as unknown as {
      spec: { template: { spec: { containers: Array<{ ports: unknown }> } } };
    };
    broken.spec.template.spec.containers[0]!.ports = [{ containerPort: 'http' }];
    expect(validateObjects([broken as unknown as KubeObject])[0]).toMatch(/containerPort must be integer/);
  });
});

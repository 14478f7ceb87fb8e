// Renders the small subset of kustomize our manifests use, so CI can validate
// them without kubectl or network: resources (files and kustomization folders),
// namespace, labels, images and patches (merged by kind and name).
// `kubectl apply -k <folder>` stays the way to deploy; this only reads.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> } & Record<string, unknown>;
  [field: string]: unknown;
}

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  resources?: string[];
  labels?: Array<{ pairs: Record<string, string>; includeSelectors?: boolean }>;
  images?: Array<{ name: string; newName?: string; newTag?: string }>;
  patches?: Array<{ path: string }>;
}

const SUPPORTED = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'labels', 'images', 'patches']);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume']);

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function readObjects(file: string): KubeObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]!.message}`);
      return document.toJS() as KubeObject | null;
    })
    .filter((object): object is KubeObject => object !== null);
}

/** Strategic-merge-like: maps merge, lists of named items merge by name, other lists are replaced. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (isObject(target) && isObject(patch)) {
    const merged: Json = { ...target };
    for (const [key, value] of Object.entries(patch)) merged[key] = mergePatch(target[key], value);
    return merged;
  }
  if (
    Array.isArray(target) &&
    Array.isArray(patch) &&
    patch.every((item) => isObject(item) && 'name' in item)
  ) {
    const merged = [...target];
    for (const item of patch as Json[]) {
      const at = merged.findIndex((existing) => isObject(existing) && existing.name === item.name);
      if (at >= 0) merged[at] = mergePatch(merged[at], item);
      else merged.push(item);
    }
    return merged;
  }
  return patch;
}

function podSpecOf(object: KubeObject): Json | undefined {
  const spec = object.spec;
  if (!isObject(spec)) return undefined;
  const template = object.kind === 'CronJob' ? (spec.jobTemplate as Json)?.spec : spec;
  const pod = isObject(template) && isObject(template.template) ? template.template.spec : undefined;
  return isObject(pod) ? pod : undefined;
}

function retag(object: KubeObject, images: NonNullable<Kustomization['images']>): void {
  const pod = podSpecOf(object);
  if (!pod) return;
  for (const list of [pod.containers, pod.initContainers]) {
    for (const container of (Array.isArray(list) ? list : []) as Json[]) {
      const image = String(container.image ?? '');
      const name = image.replace(/[@:][^/]*$/, '');
      const rule = images.find((candidate) => candidate.name === name);
      if (!rule) continue;
      const tag = rule.newTag ?? /:([^/]+)$/.exec(image)?.[1];
      container.image = `${rule.newName ?? name}${tag ? `:${tag}` : ''}`;
    }
  }
}

/** The objects `kubectl kustomize <dir>` would print, for the features listed above. */
export function renderKustomization(dir: string): KubeObject[] {
  const file = join(dir, 'kustomization.yaml');
  if (!existsSync(file)) throw new Error(`${dir}: no kustomization.yaml`);
  const [kustomization] = readObjects(file) as unknown as Kustomization[];
  if (!kustomization) throw new Error(`${file} is empty`);
  const unsupported = Object.keys(kustomization).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length > 0)
    throw new Error(`${file}: ${unsupported.join(', ')} not supported by infra/k8s/render.ts; extend it`);

  let objects: KubeObject[] = [];
  for (const entry of kustomization.resources ?? []) {
    const path = resolve(dir, entry);
    objects.push(...(statSync(path).isDirectory() ? renderKustomization(path) : readObjects(path)));
  }
  for (const patchEntry of kustomization.patches ?? []) {
    for (const patch of readObjects(resolve(dir, patchEntry.path))) {
      const at = objects.findIndex((o) => o.kind === patch.kind && o.metadata.name === patch.metadata.name);
      if (at < 0)
        throw new Error(`${patchEntry.path}: no ${patch.kind} named ${patch.metadata.name} to patch`);
      objects[at] = mergePatch(objects[at], patch) as KubeObject;
    }
  }
  objects = objects.map((object) => structuredClone(object));
  for (const object of objects) {
    for (const { pairs, includeSelectors } of kustomization.labels ?? []) {
      if (includeSelectors) throw new Error(`${file}: labels.includeSelectors is not supported`);
      object.metadata.labels = { ...object.metadata.labels, ...pairs };
    }
    if (kustomization.namespace && !CLUSTER_SCOPED.has(object.kind))
      object.metadata.namespace = kustomization.namespace;
    if (kustomization.images) retag(object, kustomization.images);
  }
  return objects;
}

export const toYaml = (objects: KubeObject[]) => objects.map((object) => stringify(object)).join('---\n');

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = process.argv[2] ?? join(dirname(process.argv[1]), 'base');
  process.stdout.write(toYaml(renderKustomization(resolve(dir))));
}

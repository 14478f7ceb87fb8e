// Validates rendered objects against the Kubernetes OpenAPI schemas bundled in
// the `kubernetes-models` npm package (no cluster, no network).
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { CronJob, Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import type { KubeObject } from './render';

interface Validating {
  validate(): void;
}

const MODELS: Record<string, new (data: never) => Validating> = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/Job': Job,
  'batch/v1/CronJob': CronJob,
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/Service': Service,
};

/** One message per object that is not valid (an unknown kind is a problem too). */
export function validateObjects(objects: readonly KubeObject[]): string[] {
  const problems: string[] = [];
  for (const object of objects) {
    const where = `${object.kind ?? '?'} ${object.metadata?.name ?? '?'}`;
    const Model = MODELS[`${object.apiVersion}/${object.kind}`];
    if (!Model) {
      problems.push(
        `${where}: ${object.apiVersion}/${object.kind} has no schema here; add it to infra/k8s/validate.ts`,
      );
      continue;
    }
    try {
      new Model(object as never).validate();
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message}`);
    }
  }
  return problems;
}

/**
 * The API clients the installers use, made once from a KubeConfig. Installers never shell out to
 * kubectl: arbitrary manifests go through KubernetesObjectApi, rollout checks through AppsV1Api.
 */
import { AppsV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';

export interface KubeClients {
  kc: KubeConfig;
  objects: KubernetesObjectApi;
  apps: AppsV1Api;
  core: CoreV1Api;
}

export function makeKubeClients(kc: KubeConfig): KubeClients {
  return {
    kc,
    objects: KubernetesObjectApi.makeApiClient(kc),
    apps: kc.makeApiClient(AppsV1Api),
    core: kc.makeApiClient(CoreV1Api),
  };
}

/** HTTP status of a failed API call (client-node throws ApiException with `code`), or undefined. */
export function apiStatus(err: unknown): number | undefined {
  if (
    typeof err === 'object' &&
    err !== null &&
    'code' in err &&
    typeof (err as { code: unknown }).code === 'number'
  ) {
    return (err as { code: number }).code;
  }
  return undefined;
}

export const isNotFound = (err: unknown): boolean => apiStatus(err) === 404;

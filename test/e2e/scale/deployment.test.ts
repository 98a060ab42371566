import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { startBot } from '../../../adapters/wiring/composition.js';
import { CONFIG_KEYS, loadConfig, SECRET_KEYS } from '../../../bot/config/env.js';
import { repoRoot } from '../../support/spawn-bot.js';

// Deployment: the Dockerfile and the Kubernetes example are checked against the app itself — the port it
// listens on, the probe paths it serves, the variables it reads and which of them are secrets — so the
// example cannot drift from the code. (Building the image needs a Docker daemon; see the report.)

type Doc = Record<string, unknown>;
interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    fieldRef?: unknown;
  };
}
interface Container {
  readonly ports: { name: string; containerPort: number }[];
  readonly env: EnvVar[];
  readonly readinessProbe: { httpGet: { path: string; port: string } };
  readonly livenessProbe: { httpGet: { path: string; port: string } };
  readonly startupProbe?: {
    httpGet: { path: string; port: string };
    periodSeconds: number;
    failureThreshold: number;
  };
}

const read = (path: string): string => readFileSync(join(repoRoot, path), 'utf8');
const docs = (path: string): Doc[] => parseAllDocuments(read(path)).map((d) => d.toJS() as Doc);
const at = <T>(value: unknown, ...path: (string | number)[]): T =>
  path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)?.[k], value) as T;

const [deployment] = docs('deploy/kubernetes/deployment.yaml');
const [service] = docs('deploy/kubernetes/service.yaml');
const [hpa] = docs('deploy/kubernetes/hpa.yaml');
const [secret] = docs('deploy/kubernetes/secret.example.yaml');
const container = at<Container>(deployment, 'spec', 'template', 'spec', 'containers', 0);
const envOf = (name: string): EnvVar | undefined => container.env.find((e) => e.name === name);

describe('Kubernetes example', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dxb-deploy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('probes the paths the app serves, on the port it listens on', async () => {
    const port = container.ports.find((p) => p.name === 'http')?.containerPort;
    expect(String(port)).toBe(envOf('PORT')?.value);
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    // Start-up (connect, migrate) gets minutes before liveness may kill the pod.
    expect(container.startupProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    const startup = container.startupProbe;
    expect((startup?.periodSeconds ?? 0) * (startup?.failureThreshold ?? 0)).toBeGreaterThanOrEqual(120);
    expect(envOf('HOST')?.value).toBe('0.0.0.0');
    // The real app on that configuration (SQLite in a temp dir instead of the Secret's PostgreSQL).
    const config = loadConfig({ PORT: '0', DATA_DIR: dir, DEV_CONSOLE: 'off', LOG_LEVEL: 'silent' });
    const quiet = { debug() {}, info() {}, warn() {}, error() {} };
    const bot = await startBot(config, { logger: quiet, autoStart: false });
    try {
      for (const probe of [container.readinessProbe, container.livenessProbe]) {
        expect((await fetch(`${bot.url}${probe.httpGet.path}`)).status).toBe(200);
      }
    } finally {
      await bot.close();
    }
  });

  it('sets only variables the app reads, and takes every secret from the Secret', () => {
    for (const e of container.env) expect(CONFIG_KEYS, e.name).toContain(e.name);
    for (const key of SECRET_KEYS) {
      const ref = envOf(key)?.valueFrom?.secretKeyRef;
      expect(ref, `${key} must come from a secretKeyRef`).toEqual(expect.objectContaining({ key }));
      expect(ref?.name).toBe(at(secret, 'metadata', 'name'));
      expect(Object.keys(at<Record<string, string>>(secret, 'stringData'))).toContain(key);
      expect(envOf(key)?.value, `${key} must not be written into the Deployment`).toBeUndefined();
    }
    expect(envOf('DATABASE_URL')?.valueFrom?.secretKeyRef?.optional).not.toBe(true);
    expect(envOf('INSTANCE_ID')?.valueFrom?.fieldRef).toEqual({ fieldPath: 'metadata.name' });
    expect(
      Number(at(deployment, 'spec', 'template', 'spec', 'terminationGracePeriodSeconds')),
    ).toBeGreaterThan(15);
    expect(at(deployment, 'spec', 'template', 'spec', 'securityContext', 'runAsNonRoot')).toBe(true);
  });

  it('routes the Service to the pods and scales the Deployment with at least two replicas', () => {
    const labels = at<Record<string, string>>(deployment, 'spec', 'template', 'metadata', 'labels');
    expect(at<Record<string, string>>(deployment, 'spec', 'selector', 'matchLabels')).toEqual(labels);
    expect(at(service, 'spec', 'selector')).toEqual(labels);
    expect(at(service, 'spec', 'ports', 0, 'targetPort')).toBe('http');
    expect(at(hpa, 'spec', 'scaleTargetRef')).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: at(deployment, 'metadata', 'name'),
    });
    expect(Number(at(hpa, 'spec', 'minReplicas'))).toBeGreaterThanOrEqual(2);
  });
});

describe('Dockerfile', () => {
  const lines = read('Dockerfile')
    .split('\n')
    .filter((l) => !l.startsWith('#'));
  const text = lines.join('\n');
  const stages = text.split(/^FROM /m).slice(1);
  const runtime = stages.at(-1) ?? '';

  it('builds in one stage and runs compiled code as a non-root user in another', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).not.toMatch(/^USER root$/m);
    expect(runtime).toMatch(/CMD \["node", "dist\/adapters\/main\.js"\]/);
    const build = JSON.parse(read('tsconfig.build.json')) as { include: string[] };
    expect(build.include).toEqual(expect.arrayContaining(['bot', 'cards', 'adapters']));
  });

  it('checks /healthz on the port it exposes', () => {
    expect(runtime).toMatch(/HEALTHCHECK[\s\S]*\/healthz/);
    const startPeriod = /--start-period=(\d+)s/.exec(runtime)?.[1];
    expect(Number(startPeriod)).toBeGreaterThanOrEqual(120); // matches the startupProbe's budget
    const exposed = /^EXPOSE (\d+)$/m.exec(runtime)?.[1];
    expect(exposed).toBe(/PORT=(\d+)/.exec(runtime)?.[1]);
    expect(exposed).toBe(String(container.ports[0]?.containerPort));
  });
});

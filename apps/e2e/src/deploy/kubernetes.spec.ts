import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { TEST_OPS_TOKEN, ApiServer, startApiServer } from '@servicekit/tools/e2e-support';

const ROOT = join(__dirname, '../../../..');
const DIR = join(ROOT, 'deploy/kubernetes');
const VALIDATOR = join(__dirname, 'validate-manifests.mjs');
/** How long the API may take after the delay (apps/api/src/main.ts): the drain, then closing the app. */
const DRAIN_S = 10;
const CLOSE_S = 5;

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read what they need, the schemas check the rest
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

interface Validation {
  file: string;
  kind: string;
  name?: string;
  errors: string[];
}

const manifestFiles = () =>
  readdirSync(DIR)
    .filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml')
    .sort();

function load(file: string): Manifest[] {
  return parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((document) => document.toJS() as Manifest);
}

const all = () => manifestFiles().flatMap(load);

function find(kind: string, name: string): Manifest {
  const found = all().find((manifest) => manifest.kind === kind && manifest.metadata.name === name);
  if (!found) throw new Error(`No ${kind} ${name} in deploy/kubernetes`);
  return found;
}

/** Runs the schema validator in a child node (kubernetes-models is ESM-only). */
function validate(files: string[]): Validation[] {
  const result = spawnSync(process.execPath, [VALIDATOR, ...files], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`The validator failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as Validation[];
}

/**
 * The schemas allow unknown fields (as the API server does without strict validation), so a misspelt
 * `readinesProbe` would pass them. TypeScript's excess-property check against the package's types does not.
 */
function unknownFields(manifests: Manifest[]): string {
  const dir = mkdtempSync(join(ROOT, 'tmp', 'k8s-fields-'));
  try {
    const lines = manifests.map((manifest, i) => {
      const type = `I${manifest.kind}`;
      return [
        `import type { ${type} as T${i} } from 'kubernetes-models/${manifest.apiVersion}/${manifest.kind}';`,
        `export const m${i}: T${i} = ${JSON.stringify(manifest)};`,
      ].join('\n');
    });
    writeFileSync(join(dir, 'manifests.ts'), lines.join('\n'));
    const options = {
      strict: true,
      noEmit: true,
      module: 'esnext',
      moduleResolution: 'bundler',
      target: 'es2022',
      skipLibCheck: true,
      types: [],
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, files: ['manifests.ts'] }));
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], {
      encoding: 'utf8',
    });
    return tsc.stdout.trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

beforeAll(() => mkdirSync(join(ROOT, 'tmp'), { recursive: true }));

describe('the Kubernetes manifests', () => {
  it('should all be valid against the Kubernetes schemas, checked offline', () => {
    const results = validate(manifestFiles().map((file) => join(DIR, file)));
    console.log(
      `Kubernetes manifests validated offline (kubernetes-models 5.1.0 schemas):\n${results
        .map(
          (r) => `  ${r.file.replace(`${ROOT}/`, '')}: ${r.kind} ${r.name ?? ''} ${r.errors.length === 0 ? 'valid' : r.errors.join('; ')}`,
        )
        .join('\n')}`,
    );
    expect(results.length).toBeGreaterThanOrEqual(9);
    expect(results.filter((r) => r.errors.length > 0)).toEqual([]);
  });

  it('should have no field the Kubernetes types do not know', () => {
    expect(unknownFields(all())).toBe('');
  });

  it('should catch a broken manifest (the checks can fail)', () => {
    const dir = mkdtempSync(join(ROOT, 'tmp', 'k8s-broken-'));
    try {
      const deployment = find('Deployment', 'servicekit-api');
      deployment.spec.template.spec.containers[0].ports[0].containerPort = 'http';
      const file = join(dir, 'broken.yaml');
      writeFileSync(file, JSON.stringify(deployment));
      expect(validate([file])[0]?.errors).toEqual(['/spec/template/spec/containers/0/ports/0/containerPort must be integer']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const typo = find('Service', 'servicekit-api');
    typo.spec.selectr = typo.spec.selector;
    expect(unknownFields([typo])).toMatch(/selectr.{0,4} does not exist in type 'IServiceSpec'/);
  });

  it('should deploy every manifest but the example Secret, with images pinned to exact versions', () => {
    const [kustomization] = parseAllDocuments(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8')).map(
      (d) => d.toJS() as { resources: string[]; images: { name: string; newTag: string }[] },
    );
    expect([...(kustomization?.resources ?? [])].sort()).toEqual(manifestFiles().filter((file) => file !== 'secret.example.yaml'));

    const images = all()
      .flatMap((m) => (m.spec?.template?.spec?.containers ?? []) as { image: string }[])
      .map((c) => c.image);
    const tagged = images.map((image) => (image === 'servicekit' ? `servicekit:${kustomization?.images[0]?.newTag}` : image));
    for (const image of tagged) expect(image).toMatch(/^[\w./-]+:\d+\.\d+\.\d+[\w.-]*$/);
  });

  describe('against the app', () => {
    let server: ApiServer;

    beforeAll(async () => {
      server = await startApiServer({ OPS_TOKEN: TEST_OPS_TOKEN });
    });

    afterAll(async () => {
      await server?.stop();
    });

    it('should probe endpoints the app serves, on the port it listens on', async () => {
      const deployment = find('Deployment', 'servicekit-api');
      const pod = deployment.spec.template.spec;
      const [container] = pod.containers;
      const port = container.ports.find((p: { name: string }) => p.name === 'http').containerPort;
      expect(container.env).toContainEqual({ name: 'PORT', value: String(port) });
      expect(container.readinessProbe.httpGet).toEqual({ path: '/api/health/ready', port: 'http' });
      expect(container.livenessProbe.httpGet).toEqual({ path: '/api/health', port: 'http' });
      for (const probe of [container.startupProbe, container.livenessProbe, container.readinessProbe]) {
        expect((await fetch(`${server.url}${probe.httpGet.path}`)).status).toBe(200);
      }

      const annotations = deployment.spec.template.metadata.annotations;
      expect(annotations['prometheus.io/port']).toBe(String(port));
      const metrics = await fetch(`${server.url}${annotations['prometheus.io/path']}`, {
        headers: { authorization: `Bearer ${TEST_OPS_TOKEN}` },
      });
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/^servicekit_queue_depth /m);

      expect(find('Service', 'servicekit-api').spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http' }]);
    });
  });

  it('should stop pods gracefully: preStop pause, then delay, drain and close within the grace period', () => {
    const pod = find('Deployment', 'servicekit-api').spec.template.spec;
    const preStop = pod.containers[0].lifecycle.preStop.exec.command as string[];
    expect(preStop[0]).toBe('sleep');
    const delayS = Number(find('ConfigMap', 'servicekit-config').data?.['SHUTDOWN_DELAY_MS']) / 1000;
    expect(delayS).toBeGreaterThan(0);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(Number(preStop[1]) + delayS + DRAIN_S + CLOSE_S);
  });

  it('should run the API as a non-root user that cannot write the image', () => {
    const pod = find('Deployment', 'servicekit-api').spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(pod.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(pod.containers[0].resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
  });

  it('should select the API pods from the Service, the PodDisruptionBudget and the autoscaler', () => {
    const labels = find('Deployment', 'servicekit-api').spec.template.metadata.labels;
    expect(find('Service', 'servicekit-api').spec.selector).toEqual(labels);
    expect(find('PodDisruptionBudget', 'servicekit-api').spec.selector.matchLabels).toEqual(labels);
    const hpa = find('HorizontalPodAutoscaler', 'servicekit-api').spec;
    expect(hpa.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'servicekit-api' });
    expect(hpa.minReplicas).toBeGreaterThanOrEqual(2);
    // The autoscaler owns the count: a replicas field would reset it on every apply.
    expect(find('Deployment', 'servicekit-api').spec.replicas).toBeUndefined();
  });

  it('should list every memcached pod of the StatefulSet, by its stable name, in MEMCACHED_SERVERS', () => {
    const statefulSet = find('StatefulSet', 'memcached').spec;
    const service = find('Service', statefulSet.serviceName).spec;
    expect(service.clusterIP).toBe('None');
    const port = statefulSet.template.spec.containers[0].ports[0].containerPort;
    expect(service.ports[0].port).toBe(port);
    const expected = Array.from({ length: statefulSet.replicas }, (_, i) => `memcached-${i}.${statefulSet.serviceName}:${port}`);
    expect(find('ConfigMap', 'servicekit-config').data?.['MEMCACHED_SERVERS']?.split(',')).toEqual(expected);
  });

  it('should take the secrets from the Secret, whose example holds placeholders only', () => {
    const container = find('Deployment', 'servicekit-api').spec.template.spec.containers[0];
    expect(container.envFrom).toContainEqual({ secretRef: { name: 'servicekit-secrets' } });
    const example = find('Secret', 'servicekit-secrets');
    expect(Object.keys(example.stringData ?? {}).sort()).toEqual(['OPS_TOKEN', 'REP_PASSCODE', 'TOKEN_SECRET', 'TURN_SECRET']);
    for (const value of Object.values(example.stringData ?? {})) expect(value).toMatch(/^replace-with-/);
    const data = find('ConfigMap', 'servicekit-config').data ?? {};
    expect(Object.keys(data).filter((key) => /SECRET|PASSCODE|TOKEN|PASSWORD/.test(key))).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_NODE_IMAGE, WORKER_DOCKERFILE } from '../../infra/constructs/WorkerImage.js';
import { REPO_ROOT } from '../../infra/HeadlessWorkersStack.js';
import { buildStack, type BuiltStack } from './helpers/buildStack.js';

// No Docker on the test machines: these read the Dockerfile and the synthesized asset, not a build.
const dockerfile = readFileSync(path.join(REPO_ROOT, WORKER_DOCKERFILE), 'utf8');
const instructions = dockerfile.split('\n').filter((line) => /^[A-Z]+ /.test(line));
/** The instructions of one stage, by its `AS` name. */
function stage(name: string): string[] {
  const start = instructions.findIndex((line) => line.startsWith('FROM ') && line.endsWith(` AS ${name}`));
  const next = instructions.findIndex((line, index) => index > start && line.startsWith('FROM '));
  return instructions.slice(start, next === -1 ? undefined : next);
}

describe('the worker image is reproducible and small (issue 14)', () => {
  const built: BuiltStack[] = [];
  afterAll(() => built.forEach((b) => b.dispose()));

  it('pins its base image by digest, the same default in the Dockerfile and the CDK asset', () => {
    expect(DEFAULT_NODE_IMAGE).toMatch(/^node:22-bookworm-slim@sha256:[0-9a-f]{64}$/);
    expect(instructions).toContain(`ARG NODE_IMAGE=${DEFAULT_NODE_IMAGE}`);
    const froms = instructions.filter((line) => line.startsWith('FROM '));
    expect(froms).toHaveLength(3);
    for (const from of froms) expect(from).toMatch(/^FROM (--platform=\$BUILDPLATFORM )?\$\{NODE_IMAGE\} AS [a-z]+$/);
  });

  it('compiles on the build platform and installs the runtime dependencies on the target platform', () => {
    expect(stage('build')[0]).toBe('FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS build');
    expect(stage('deps')[0]).toBe('FROM ${NODE_IMAGE} AS deps');
    expect(stage('deps').join('\n')).toContain('npm ci --omit=dev');
  });

  it('puts only runtime files in the final stage: production node_modules, the runner and the engine', () => {
    const copies = stage('runtime').filter((line) => line.startsWith('COPY '));
    expect(copies).toEqual([
      'COPY --from=deps /app/node_modules ./node_modules',
      'COPY --from=build /src/dist/container ./dist/container',
      'COPY --from=build /src/dist/workers ./dist/workers',
      'COPY package.json ./',
    ]);
    // Source maps are dropped where the build stage compiles (a continuation of its RUN line).
    expect(dockerfile).toMatch(/RUN node node_modules\/typescript\/bin\/tsc -p tsconfig\.build\.json \\\n && find dist -name '\*\.map' -delete\n/);
  });

  it('passes the default or the configured base image to the build', () => {
    const override = `node:24-bookworm-slim@sha256:${'0'.repeat(64)}`;
    for (const [deploy, expected] of [[{}, DEFAULT_NODE_IMAGE], [{ workerBaseImage: override }, override]] as const) {
      const stack = buildStack({ deploy });
      built.push(stack);
      const asset = stack.stack.image.asset.node.defaultChild;
      expect(asset).toBeUndefined(); // a Docker image asset has no CloudFormation resource: read its build arguments from the assembly
      const assembly = stack.app.synth();
      const manifest = JSON.parse(readFileSync(path.join(assembly.directory, `${stack.stack.artifactId}.assets.json`), 'utf8')) as {
        dockerImages: Record<string, { source: { dockerBuildArgs: Record<string, string> } }>;
      };
      expect(Object.values(manifest.dockerImages).map((image) => image.source.dockerBuildArgs.NODE_IMAGE)).toEqual([expected]);
    }
  });

  it('refuses a base image given by tag', () => {
    expect(() => buildStack({ deploy: { workerBaseImage: 'node:22-bookworm-slim' } })).toThrow(/deploy\.workerBaseImage: must be an image reference pinned by digest/);
  });
});

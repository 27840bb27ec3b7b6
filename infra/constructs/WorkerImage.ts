import { readFileSync } from 'node:fs';
import path from 'node:path';
import { IgnoreMode } from 'aws-cdk-lib';
import { DockerImageAsset, Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { pinnedClaudeCodeVersion } from '../claudeCodeVersion.js';

/**
 * The base image of every stage: Node 22 on Debian 12, pinned by digest (a tag moves, a
 * digest does not). Copied from the tag when it was pinned; refresh it with
 * `docker buildx imagetools inspect node:22-bookworm-slim` (the index digest, which covers
 * arm64 and x86_64). The Dockerfile's default is the same (test/infra/workerImage.test.ts).
 */
export const DEFAULT_NODE_IMAGE = 'node:22-bookworm-slim@sha256:43ac6c60b8f89723f746e8a92ce91abd5017e627ce1ddfe4238355d3a30b772c';

/** Dockerfile of the worker image, relative to the repository root (the build context). */
export const WORKER_DOCKERFILE = 'container/Dockerfile';
/** Ignore file of that Dockerfile (BuildKit reads `<Dockerfile>.dockerignore`); the CDK asset uses the same list. */
export const WORKER_DOCKERIGNORE = 'container/Dockerfile.dockerignore';

export interface WorkerImageProps {
  /** Repository root: the Docker build context (it needs package.json, the lock file and the sources). */
  readonly repoRoot: string;
  /** CPU architecture the image is built for; must match the task definitions. */
  readonly architecture: 'arm64' | 'x86_64';
  /** Base image reference pinned by digest. Default: DEFAULT_NODE_IMAGE. */
  readonly baseImage?: string;
}

/** Reads a .dockerignore file into exclude patterns (comments and blank lines dropped). */
export function readIgnorePatterns(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));
}

/**
 * The worker container image, built by `cdk deploy` from `container/Dockerfile`
 * (nothing is built at synth). Claude Code is installed at exactly the version
 * package.json pins, passed as a build argument so the two cannot drift.
 *
 * @example
 * const image = new WorkerImage(this, 'Image', { repoRoot, architecture: 'arm64' });
 * taskDefinition.addContainer('worker', { image: image.containerImage, ... });
 */
export class WorkerImage extends Construct {
  public readonly asset: DockerImageAsset;
  public readonly containerImage: ecs.ContainerImage;
  /** The Claude Code version baked into the image. */
  public readonly claudeCodeVersion: string;

  constructor(scope: Construct, id: string, props: WorkerImageProps) {
    super(scope, id);
    this.claudeCodeVersion = pinnedClaudeCodeVersion(path.join(props.repoRoot, 'package.json'));
    this.asset = new DockerImageAsset(this, 'Asset', {
      directory: props.repoRoot,
      file: WORKER_DOCKERFILE,
      // An allow-list: only what the image build reads is staged and hashed, so editing
      // tests, docs or infra does not rebuild the image.
      exclude: readIgnorePatterns(path.join(props.repoRoot, WORKER_DOCKERIGNORE)),
      ignoreMode: IgnoreMode.DOCKER,
      buildArgs: { CLAUDE_CODE_VERSION: this.claudeCodeVersion, NODE_IMAGE: props.baseImage ?? DEFAULT_NODE_IMAGE },
      platform: props.architecture === 'arm64' ? Platform.LINUX_ARM64 : Platform.LINUX_AMD64,
      displayName: 'headless-workers worker image',
    });
    this.containerImage = ecs.ContainerImage.fromDockerImageAsset(this.asset);
  }
}

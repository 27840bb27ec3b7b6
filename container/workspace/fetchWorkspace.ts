import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { TargetConfig } from '../../workers/config/index.js';
import { cloneRepository } from './cloneRepository.js';
import { deepenToCommit } from './deepenToCommit.js';
import { WorkspaceError } from './errors.js';
import { extractTarball, type TarballLimits } from './extractTarball.js';
import { stripUntrustedGit } from '../../workers/context/stripUntrustedGit.js';

export interface FetchWorkspaceDeps {
  readonly s3: S3Client;
  readonly secrets: SecretsManagerClient;
  readonly limits: TarballLimits;
  readonly gitProtocols: readonly string[];
}

/**
 * Fetches a target's repository into `directory` (a fresh folder on the
 * scratch volume) and returns the folder to analyse: an S3 snapshot (tar.gz)
 * unpacked safely, or a shallow clone. A snapshot whose entries all sit in
 * one top folder (as `git archive --prefix` or GitHub tarballs make them) is
 * analysed from inside that folder. A snapshot's `.git` loses its config,
 * hooks and info before anything runs (see stripUntrustedGit.ts).
 *
 * @example
 * const repoDir = await fetchWorkspace(target, '/scratch/runs/<runId>', deps, signal);
 */
export async function fetchWorkspace(target: TargetConfig, directory: string, deps: FetchWorkspaceDeps, signal?: AbortSignal): Promise<string> {
  if (target.s3) {
    const destination = path.join(directory, 'snapshot');
    const object = await deps.s3
      .send(new GetObjectCommand({ Bucket: target.s3.bucket, Key: target.s3.key }), { abortSignal: signal })
      .catch((error: Error) => {
        if (signal?.aborted) throw error;
        const missing = error.name === 'NoSuchKey' || error.name === 'NotFound' || error.name === 'NoSuchBucket';
        throw new WorkspaceError(
          missing
            ? `snapshot s3://${target.s3!.bucket}/${target.s3!.key} of target "${target.name}" does not exist`
            : `snapshot s3://${target.s3!.bucket}/${target.s3!.key} of target "${target.name}" cannot be read: ${error.name}: ${error.message}`,
          { cause: error },
        );
      });
    if (object.ContentLength !== undefined && object.ContentLength > deps.limits.maxBytes) {
      (object.Body as Readable | undefined)?.destroy?.();
      throw new WorkspaceError(`snapshot of target "${target.name}" is ${object.ContentLength} bytes compressed, over the ${deps.limits.maxBytes}-byte limit`);
    }
    if (!object.Body) throw new WorkspaceError(`snapshot of target "${target.name}" is empty`);
    await extractTarball(object.Body as AsyncIterable<Uint8Array>, destination, deps.limits);
    const repoDir = await singleTopFolder(destination);
    await stripUntrustedGit(repoDir);
    return repoDir;
  }
  if (target.git) {
    const destination = path.join(directory, 'repo');
    const token = target.git.tokenSecretArn ? await readToken(target.git.tokenSecretArn, deps.secrets, signal) : undefined;
    await cloneRepository({
      url: target.git.url,
      branch: target.git.branch,
      destination,
      allowedProtocols: deps.gitProtocols,
      ...(token ? { token } : {}),
      ...(signal ? { signal } : {}),
    });
    return destination;
  }
  throw new WorkspaceError(`target "${target.name}" is a local directory, which a cloud task cannot reach; give "git" or "s3"`);
}

/**
 * For a git target, what an incremental scan calls to bring the base commit
 * into the shallow clone at `repoDir` (see deepenToCommit.ts), with the
 * target's token read again only then; undefined for a snapshot, which has
 * no history to fetch.
 *
 * @example engine.run({ ..., fetchCommit: gitHistoryFetcher(target, repoDir, deps, signal) })
 */
export function gitHistoryFetcher(target: TargetConfig, repoDir: string, deps: FetchWorkspaceDeps, signal?: AbortSignal): ((commit: string) => Promise<void>) | undefined {
  const git = target.git;
  if (!git) return undefined;
  return async (commit) => {
    const token = git.tokenSecretArn ? await readToken(git.tokenSecretArn, deps.secrets, signal) : undefined;
    await deepenToCommit(repoDir, commit, { allowedProtocols: deps.gitProtocols, ...(token ? { token } : {}), ...(signal ? { signal } : {}) });
  };
}

/**
 * The git token in a secret: its plain string, or JSON with `token` (or
 * `password`) and an optional `username` (default `x-access-token`, which
 * GitHub expects; GitLab takes `oauth2`).
 */
async function readToken(secretId: string, secrets: SecretsManagerClient, signal?: AbortSignal): Promise<{ username: string; secret: string }> {
  const response = await secrets.send(new GetSecretValueCommand({ SecretId: secretId }), { abortSignal: signal }).catch((error: Error) => {
    if (signal?.aborted) throw error;
    throw new WorkspaceError(`git token secret ${secretId} cannot be read: ${error.name}`, { cause: error });
  });
  const text = response.SecretString?.trim() ?? '';
  if (!text) throw new WorkspaceError(`git token secret ${secretId} holds no string value`);
  if (text.startsWith('{')) {
    try {
      const json = JSON.parse(text) as { token?: unknown; password?: unknown; username?: unknown };
      const secret = typeof json.token === 'string' ? json.token : typeof json.password === 'string' ? json.password : '';
      if (!secret) throw new WorkspaceError(`git token secret ${secretId} is JSON without a "token" field`);
      return { username: typeof json.username === 'string' && json.username ? json.username : 'x-access-token', secret };
    } catch (error) {
      if (error instanceof WorkspaceError) throw error;
      // Not JSON after all: a token that starts with "{".
    }
  }
  return { username: 'x-access-token', secret: text };
}

async function singleTopFolder(directory: string): Promise<string> {
  const entries = await readdir(directory, { withFileTypes: true });
  if (entries.length === 1 && entries[0]!.isDirectory()) return path.join(directory, entries[0]!.name);
  return directory;
}

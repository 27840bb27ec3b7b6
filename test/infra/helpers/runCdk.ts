import { execFile } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../../../infra/HeadlessWorkersStack.js';

export interface CdkRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

/**
 * Runs the project's `cdk` CLI in the repository root with the network and AWS
 * credentials out of reach: a proxy that refuses every connection, no
 * credentials or config files, no instance metadata. What passes here passes
 * on a machine with no network. `extraEnv` goes on top (e.g. the account and region the
 * CLI would have found with credentials).
 */
export function runCdk(args: readonly string[], timeoutMs = 120_000, extraEnv: Readonly<Record<string, string>> = {}): Promise<CdkRun> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('AWS_') || key.startsWith('CDK_')) delete env[key];
  Object.assign(env, {
    HTTP_PROXY: 'http://127.0.0.1:9',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    http_proxy: 'http://127.0.0.1:9',
    https_proxy: 'http://127.0.0.1:9',
    NO_PROXY: '',
    no_proxy: '',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    CDK_DISABLE_VERSION_CHECK: 'true',
    CI: 'true',
  });
  // After the clean-up: e.g. CDK_DEFAULT_ACCOUNT/REGION, which the CLI hands the app from the caller's credentials.
  Object.assign(env, extraEnv);
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      path.join(REPO_ROOT, 'node_modules/.bin/cdk'),
      [...args, '--no-notices'],
      { cwd: REPO_ROOT, env, timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 });
      },
    );
  });
}

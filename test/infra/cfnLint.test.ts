import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/HeadlessWorkersStack.js';
import { buildStack, type BuiltStack } from './helpers/buildStack.js';

const CFN_LINT = path.join(REPO_ROOT, '.venv/bin/cfn-lint');

/**
 * Checks CDK generates on purpose and cfn-lint flags anyway:
 * W3005 — CDK makes a function depend on its role's policy and on the role,
 * which is also referenced by GetAtt; the explicit dependency is how CDK
 * guarantees the policy exists before the function runs, and it is harmless.
 */
const IGNORED_CHECKS = ['W3005'];

function lint(template: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(CFN_LINT, ['--ignore-checks', ...IGNORED_CHECKS, '--', template], { timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

describe('cfn-lint on the synthesized template', () => {
  let dir: string;
  const built: BuiltStack[] = [];

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hw-cfn-lint-'));
    const variants = {
      defaults: {},
      everything: {
        config: {
          targets: [
            { name: 'api', git: { url: 'https://github.com/example/api.git', branch: 'main', tokenSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:git-token-AbCdEf' } },
            { name: 'web', s3: { bucket: 'example-snapshots', key: 'web/latest.tar.gz' } },
          ],
          allowDisabledSandbox: true,
        },
        deploy: {
          auth: { mode: 'bedrock' },
          vpc: { mode: 'create', maxAzs: 3, natGateways: 1 },
          budget: { monthlyUsd: 100, emails: ['ops@example.com'] },
          alarms: { topicArn: 'arn:aws:sns:eu-west-1:123456789012:alerts' },
        },
      },
    };
    for (const [name, options] of Object.entries(variants)) {
      const stack = buildStack(options);
      built.push(stack);
      writeFileSync(path.join(dir, `${name}.template.json`), JSON.stringify(stack.template().toJSON(), null, 1));
    }
  });
  afterAll(() => {
    built.forEach((b) => b.dispose());
    rmSync(dir, { recursive: true, force: true });
  });

  it('has cfn-lint installed in the project virtualenv', () => {
    expect(existsSync(CFN_LINT), `${CFN_LINT} is missing: run scripts/setup.sh (it installs requirements-dev.txt into .venv)`).toBe(true);
  });

  it.each(['defaults', 'everything'])('reports no error and no warning: %s', async (name) => {
    if (!existsSync(CFN_LINT)) throw new Error(`${CFN_LINT} is missing: run scripts/setup.sh (it installs requirements-dev.txt into .venv)`);
    const result = await lint(path.join(dir, `${name}.template.json`));
    expect(result.output.trim()).toBe('');
    expect(result.code).toBe(0);
  });
});

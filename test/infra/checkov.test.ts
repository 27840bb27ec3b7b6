import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/HeadlessWorkersStack.js';
import { buildStack } from './helpers/buildStack.js';

const CHECKOV = path.join(REPO_ROOT, '.venv/bin/checkov');
const CONFIG = path.join(REPO_ROOT, '.checkov.yaml');

interface CheckovReport {
  summary: { passed: number; failed: number; parsing_errors: number };
  results: { failed_checks: { check_id: string; check_name: string; resource: string }[] };
}

function scan(template: string): Promise<CheckovReport> {
  return new Promise((resolve, reject) => {
    execFile(CHECKOV, ['--config-file', CONFIG, '-f', template, '-o', 'json'], { timeout: 180_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
      try {
        const parsed = JSON.parse(stdout) as CheckovReport | CheckovReport[];
        resolve(Array.isArray(parsed) ? parsed[0]! : parsed);
      } catch {
        reject(new Error(`checkov gave no JSON report (${error?.message ?? 'no error'}): ${stdout.slice(0, 500)}`));
      }
    });
  });
}

describe('checkov (policy as code) on the synthesized template', () => {
  let dir: string;

  beforeAll(() => {
    if (!existsSync(CHECKOV)) throw new Error(`${CHECKOV} is missing: run ./scripts/setup.sh (it installs requirements-dev.txt into .venv)`);
    dir = mkdtempSync(path.join(os.tmpdir(), 'hw-checkov-'));
    const variants = {
      defaults: {},
      everything: {
        config: { allowDisabledSandbox: true, targets: [{ name: 'web', s3: { bucket: 'example-snapshots', key: 'web/latest.tar.gz' } }] },
        deploy: { auth: { mode: 'bedrock' }, vpc: { mode: 'create', maxAzs: 2, natGateways: 1 }, alarms: { topicArn: 'arn:aws:sns:eu-west-1:123456789012:alerts' } },
      },
    };
    for (const [name, options] of Object.entries(variants)) {
      const stack = buildStack(options);
      writeFileSync(path.join(dir, `${name}.template.json`), JSON.stringify(stack.template().toJSON()));
      stack.dispose();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['defaults', 'everything'])('the %s template fails no check that .checkov.yaml does not skip with a reason', async (name) => {
    const report = await scan(path.join(dir, `${name}.template.json`));

    const failed = report.results.failed_checks.map((c) => `${c.check_id} ${c.check_name} (${c.resource})`);
    expect(failed, failed.join('\n')).toEqual([]);
    expect(report.summary.parsing_errors).toBe(0);
    expect(report.summary.passed).toBeGreaterThan(100);
  });
});

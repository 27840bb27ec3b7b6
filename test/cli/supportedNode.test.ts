import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIN_NODE_MAJOR, unsupportedNodeMessage } from '../../cli/supportedNode.js';
import { PROJECT_ROOT } from '../helpers/cliProcess.js';

/** A Node.js older than the supported lines installed on this machine (Debian 12's is 20), if any. */
function olderNodeOnMachine(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter((dir) => !dir.includes('node_modules'));
  for (const dir of [...dirs, '/usr/bin', '/usr/local/bin']) {
    const candidate = path.join(dir, 'node');
    if (!existsSync(candidate)) continue;
    const version = spawnSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
    if (Number.parseInt(version, 10) < MIN_NODE_MAJOR) return candidate;
  }
  return undefined;
}

describe('supported Node.js (issue 13)', () => {
  it('the tests themselves run on a supported Node.js (the project provides it: package.json devDependency "node")', () => {
    const major = Number.parseInt(process.versions.node, 10);
    expect(major, `tests run on Node.js ${process.versions.node} (${process.execPath})`).toBeGreaterThanOrEqual(MIN_NODE_MAJOR);
  });

  it('matches engines in package.json', async () => {
    const { default: pkg } = await import('../../package.json', { with: { type: 'json' } });
    expect(pkg.engines.node).toBe(`>=${MIN_NODE_MAJOR}`);
  });

  it('names the running version and what to install for Node.js 20 and older', () => {
    expect(unsupportedNodeMessage('20.20.2')).toMatch(/needs Node\.js 22 or newer; this is Node\.js 20\.20\.2\. Install a maintained Node\.js \(22 or 24\)/);
    expect(unsupportedNodeMessage('18.0.0')).toContain('18.0.0');
    expect(unsupportedNodeMessage('not-a-version')).toBeDefined();
  });

  it('accepts 22, 24 and later', () => {
    for (const version of ['22.0.0', '22.23.3', '24.11.1', '26.1.0']) expect(unsupportedNodeMessage(version)).toBeUndefined();
  });

  const olderNode = olderNodeOnMachine();
  // Needs an old Node.js on the machine (CI's Debian 12 has 20 from apt); without one there is nothing to run it on.
  it.skipIf(olderNode === undefined)(`the built CLI run on an older Node.js (${olderNode ?? 'none found'}) says so in one line and exits 2`, () => {
    const cli = path.join(PROJECT_ROOT, 'dist/cli/main.js');
    expect(existsSync(cli), 'dist/ is built by npm ci (prepare) or npm run build').toBe(true);
    const result = spawnSync(olderNode!, [cli, 'workers'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: process.env.HOME } });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: headless-workers needs Node\.js 22 or newer; this is Node\.js \d+\.\d+\.\d+\. Install a maintained Node\.js \(22 or 24\) and run the command again\.\n$/);
  });
});

import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cloneRepository } from '../../../container/workspace/cloneRepository.js';
import { WorkspaceError } from '../../../container/workspace/errors.js';
import { checkGitSource } from '../../../container/workspace/gitSource.js';

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, stdio: 'ignore' });
}

/** A repository with two commits on main, a symlink to /etc/passwd, and a second branch. */
function sourceRepo(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hw-git-src-'));
  git(dir, 'init', '-q');
  writeFileSync(path.join(dir, 'a.ts'), 'export const a = 1;\n');
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'one');
  writeFileSync(path.join(dir, 'b.ts'), 'export const b = 2;\n');
  symlinkSync('/etc/passwd', path.join(dir, 'passwd-link'));
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'two');
  git(dir, 'branch', 'feature/x');
  return dir;
}

describe('checkGitSource', () => {
  const allowed = ['https'];
  it.each([
    ['--upload-pack=touch /tmp/hw-pwned', 'main', /starts with "-"/],
    ['ext::sh -c touch% /tmp/hw-pwned', 'main', /"ext::" remote helpers run commands/],
    ['fd::3', 'main', /remote helpers/],
    ['file:///etc', 'main', /protocol "file" is not allowed \(allowed: https\)/],
    ['ssh://git@github.com/acme/api.git', 'main', /protocol "ssh" is not allowed/],
    ['https://user:secret@github.com/acme/api.git', 'main', /holds credentials/],
    ['https://github.com/acme/api.git\n--upload-pack=x', 'main', /control characters/],
    ['github.com:acme/api.git', 'main', /protocol "github.com" is not allowed|not a URL/],
    ['https://github.com/acme/api.git', '--upload-pack=touch /tmp/x', /starts with "-"/],
    ['https://github.com/acme/api.git', 'main..other', /contains "\.\."/],
    ['https://github.com/acme/api.git', 'feature branch', /may hold only/],
    ['https://github.com/acme/api.git', 'x.lock', /\.lock/],
  ])('refuses url %j branch %j', (url, branch, message) => {
    // act / assess
    expect(() => checkGitSource(url, branch, allowed)).toThrow(WorkspaceError);
    expect(() => checkGitSource(url, branch, allowed)).toThrow(message);
  });

  it('accepts ordinary https URLs and branch names', () => {
    expect(() => checkGitSource('https://github.com/acme/api.git', 'release/2.1', allowed)).not.toThrow();
    expect(() => checkGitSource('https://gitlab.example.com:8443/group/sub/repo', 'v1.2.3', allowed)).not.toThrow();
  });
});

describe('cloneRepository', () => {
  it('makes a shallow single-branch clone with symbolic links checked out as plain files', async () => {
    // prepare
    const source = sourceRepo();
    const destination = path.join(mkdtempSync(path.join(os.tmpdir(), 'hw-git-dst-')), 'repo');

    // act
    await cloneRepository({ url: `file://${source}`, branch: 'main', destination, allowedProtocols: ['https', 'file'] });

    // assess
    expect(readFileSync(path.join(destination, 'b.ts'), 'utf8')).toBe('export const b = 2;\n');
    expect(lstatSync(path.join(destination, 'passwd-link')).isSymbolicLink()).toBe(false);
    expect(readFileSync(path.join(destination, 'passwd-link'), 'utf8')).toBe('/etc/passwd');
    expect(execFileSync('git', ['rev-list', '--count', 'HEAD'], { cwd: destination, encoding: 'utf8' }).trim()).toBe('1');
    expect(execFileSync('git', ['branch', '-r'], { cwd: destination, encoding: 'utf8' })).not.toContain('feature/x');
  });

  it('reports a missing branch, and never shows the token in an error', async () => {
    // prepare
    const source = sourceRepo();
    const destination = path.join(mkdtempSync(path.join(os.tmpdir(), 'hw-git-dst-')), 'repo');

    // act
    const missing = await cloneRepository({ url: `file://${source}`, branch: 'nope', destination, allowedProtocols: ['file'] }).catch((e: Error) => e);
    const unreachable = await cloneRepository({
      url: 'https://127.0.0.1:9/acme/api.git',
      branch: 'main',
      destination: `${destination}-2`,
      allowedProtocols: ['https'],
      token: { username: 'x-access-token', secret: 'ghp_SuperSecretToken123456789' },
      timeoutMs: 15_000,
    }).catch((e: Error) => e);

    // assess
    expect(missing).toBeInstanceOf(WorkspaceError);
    expect((missing as Error).message).toMatch(/branch nope\) failed: .*nope/);
    expect(unreachable).toBeInstanceOf(WorkspaceError);
    expect((unreachable as Error).message).not.toContain('ghp_SuperSecretToken123456789');
  });

  it('runs nothing for option-injection URLs', async () => {
    // prepare
    const marker = path.join(os.tmpdir(), `hw-pwned-${process.pid}`);
    const destination = path.join(mkdtempSync(path.join(os.tmpdir(), 'hw-git-dst-')), 'repo');

    // act
    const results = await Promise.all(
      [`--upload-pack=touch ${marker}`, `ext::sh -c touch% ${marker}`].map((url) =>
        cloneRepository({ url, branch: 'main', destination, allowedProtocols: ['https', 'file'] }).catch((e: Error) => e),
      ),
    );

    // assess
    expect(results.every((r) => r instanceof WorkspaceError)).toBe(true);
    expect(existsSync(marker)).toBe(false);
  });
});

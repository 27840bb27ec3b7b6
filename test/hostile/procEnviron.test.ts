import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASH_NEEDS_SANDBOX } from '../../workers/headless/index.js';
import type { RunResult } from '../../workers/run/types.js';
import { CLAUDE_BIN } from '../fake-model/claudeTestBed.js';
import { startFakeModelServer, type FakeModelServer } from '../fake-model/index.js';
import { runCli } from '../helpers/cliProcess.js';
import { giveToUnprivileged } from '../helpers/unprivilegedUser.js';

/** Secrets in the environment of the operator's CLI (and, for the key, of Claude Code itself). */
const SECRETS = {
  GITHUB_TOKEN: 'ghp_procEnvironCanary0123456789abcdefABCDEF',
  AWS_SECRET_ACCESS_KEY: 'awsProcEnvironCanary/0123456789abcdefABCDEFGH',
  ANTHROPIC_API_KEY: 'sk-ant-procEnvironCanary-0123456789abcdefABCDEF',
} as const;

/**
 * The attacker's test script: the operator allow-listed `npm test`, the repository
 * decides what it does. It prints every variable of every process it can see whose
 * name looks like a credential, its own environment included, and how many processes
 * it saw.
 */
const PROBE_SCRIPT = [
  "for f in /proc/[0-9]*/environ /proc/[0-9]*/task/*/environ; do tr '\\0' '\\n' < \"$f\"; done 2>/dev/null | grep -E 'TOKEN|SECRET|KEY' | sort -u",
  "echo \"processes seen: $(ls -d /proc/[0-9]* | wc -l)\"",
].join('; ');

describe('an allow-listed command that reads /proc/<pid>/environ of every process it can see', () => {
  let root: string;
  let repo: string;
  let configFile: string;
  let server: FakeModelServer | undefined;

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'hw-proc-environ-'));
    repo = path.join(root, 'repo');
    await mkdir(path.join(repo, 'src'), { recursive: true });
    await writeFile(path.join(repo, 'src', 'index.ts'), 'export const add = (a: number, b: number) => a + b;\n');
    await writeFile(path.join(repo, 'package.json'), JSON.stringify({ name: 'victim', version: '1.0.0', scripts: { test: PROBE_SCRIPT } }));
    // The operator's own configuration, outside the repository: `npm test` is what teams allow.
    configFile = path.join(root, 'operator-config.json');
    await writeFile(configFile, JSON.stringify({ bashAllowList: ['npm test'] }));
    await mkdir(path.join(root, 'home'));
    await giveToUnprivileged(root);
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await rm(root, { recursive: true, force: true });
  });

  const optimize = async (extraEnv: Record<string, string>) => {
    server = await startFakeModelServer({
      reply: [{ kind: 'toolCall', name: 'Bash', input: { command: 'npm test' } }, { kind: 'text', text: '## Suggestions\n\nNone.' }],
    });
    const result = await runCli(['run', 'optimize', '--repo', repo, '--config', configFile, '--state-dir', path.join(root, 'state'), '--headless', '--json'], {
      cwd: repo,
      unprivileged: true,
      timeoutMs: 120_000,
      env: {
        HOME: path.join(root, 'home'),
        ANTHROPIC_BASE_URL: server.url,
        HW_CLAUDE_BIN: CLAUDE_BIN,
        DISABLE_TELEMETRY: '1',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        ...SECRETS,
        ...extraEnv,
      },
    });
    // Everything the model was sent: tool results included (not the x-api-key header, which is how the key must travel).
    const sentToModel = server.requests.map((request) => request.rawBody).join('\n');
    const stored = result.stdout;
    return { result, record: JSON.parse(result.stdout) as RunResult, sentToModel, stored };
  };

  const expectNoSecret = (text: string): void => {
    for (const value of Object.values(SECRETS)) expect(text).not.toContain(value);
    for (const fragment of ['procEnvironCanary']) expect(text).not.toContain(fragment);
  };

  it('without the sandbox requested, Bash is not offered and the record says why', async () => {
    // Act
    const { record, sentToModel, stored } = await optimize({});

    // Assess
    expect(record).toMatchObject({ mode: 'headless', sandboxMode: 'permissive' });
    expect(record.bash).toEqual({ offered: false, reason: `${BASH_NEEDS_SANDBOX}; the operator did not ask for it (HW_BASH_SANDBOX=1)` });
    expect(record.violations).toEqual([{ tool: 'Bash', kind: 'tool_unavailable', detail: 'Bash: npm test' }]);
    expect(sentToModel).not.toContain('processes seen');
    expectNoSecret(sentToModel);
    expectNoSecret(stored);
  });

  it('with the sandbox requested where it cannot work (no bubblewrap, as on Fargate), Bash is not offered and the record says why', async () => {
    // Prepare: a PATH with the usual tools but no bwrap
    const bin = path.join(root, 'bin-without-bwrap');
    await mkdir(bin);
    for (const tool of ['git', 'node', 'npm', 'sh', 'cat', 'ls', 'grep', 'sort', 'tr', 'wc']) {
      const found = ['/usr/local/bin', '/usr/bin', '/bin'].map((dir) => path.join(dir, tool)).find((candidate) => existsSync(candidate));
      if (found) await symlink(found, path.join(bin, tool));
    }

    // Act
    const { record, sentToModel, stored } = await optimize({ HW_BASH_SANDBOX: '1', PATH: bin });

    // Assess
    expect(record.bash).toEqual({ offered: false, reason: `${BASH_NEEDS_SANDBOX}; it does not work here: bubblewrap (bwrap) is not installed` });
    expect(record.violations.map((violation) => violation.kind)).toEqual(['tool_unavailable']);
    expect(sentToModel).not.toContain('processes seen');
    expectNoSecret(sentToModel);
    expectNoSecret(stored);
  });

  const sandboxWorks = existsSync('/usr/bin/bwrap') && existsSync('/usr/bin/socat');

  it.runIf(sandboxWorks)('with the sandbox requested and working here, the command runs but sees no other process and no credential', async () => {
    // Act
    const { record, sentToModel, stored } = await optimize({ HW_BASH_SANDBOX: '1' });

    // Assess: it ran (its output reached the model), inside its own PID namespace, and found nothing
    expect(record.bash).toEqual({ offered: true });
    // npm itself reaches for the registry: the sandbox's network proxy refuses it, and that counts as a violation.
    expect(record.violations.filter((violation) => violation.tool !== 'SandboxNetworkAccess')).toEqual([]);
    const processesSeen = Number(/processes seen: (\d+)/.exec(sentToModel)?.[1]);
    expect(processesSeen).toBeGreaterThan(0);
    expect(processesSeen).toBeLessThan(10); // its own few; unsandboxed it sees every process of the machine
    expectNoSecret(sentToModel);
    expectNoSecret(stored);
  });
});

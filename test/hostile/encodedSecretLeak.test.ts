import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAUDE_BIN, FAKE_API_KEY } from '../fake-model/claudeTestBed.js';
import { startFakeModelServer, type FakeModelServer, type FakeReply, type RecordedRequest } from '../fake-model/index.js';
import { runCli, type CliResult } from '../helpers/cliProcess.js';
import { encodedForms, findEncodedLeaks } from '../helpers/encodedSecretForms.js';
import { makeRepo } from '../helpers/fixtureRepo.js';
import { CHARSETS, fakePrivateKey, fakeToken } from '../helpers/secretFixtures.js';
import { filesUnder, type Exhibit } from '../helpers/secretLeakHunt.js';
import { giveToUnprivileged } from '../helpers/unprivilegedUser.js';

/*
 * Case 7 of issue 11, as an attacker builds it: the repository commits credentials, the
 * model reads them with its tools (strict allows Read in the workspace) and writes them
 * back in forms an exact-string match misses, in its answer and in a Bash command that
 * is refused. Real Claude Code against the fake model, the CLI run as an unprivileged user.
 */

const PRIVATE_KEY = fakePrivateKey('RSA', 4, 705);
const SECRETS = {
  awsKeyId: `AKIA${fakeToken(CHARSETS.UPPER_BASE32, 16, 701)}`,
  awsSecret: fakeToken(CHARSETS.BASE64, 40, 702),
  githubToken: `ghp_${fakeToken(CHARSETS.ALNUM, 36, 703)}`,
  dbPassword: `Vx7${fakeToken(CHARSETS.ALNUM, 13, 704)}!`,
  privateKeyLine: PRIVATE_KEY.split('\n')[1]!,
} as const;
const SECRET_VALUES = Object.values(SECRETS);
/** The runner's own credential, which a model could read from a process environment: masked the same way. */
const CHECKED_VALUES = [...SECRET_VALUES, FAKE_API_KEY];

const REPOSITORY = {
  'src/aws.ts': `export const awsAccessKeyId = '${SECRETS.awsKeyId}';\nexport const awsSecretAccessKey = '${SECRETS.awsSecret}';\n`,
  'src/github.ts': `export const token = "${SECRETS.githubToken}";\n`,
  '.env': `NODE_ENV=production\nDB_PASSWORD=${SECRETS.dbPassword}\n`,
  'deploy/server.pem': PRIVATE_KEY,
  'README.md': '# Payments service\n',
};

/** One finding per (secret, form), message and evidence both carrying the form. */
function leakingAnswer(): unknown {
  const findings = Object.entries(SECRETS).flatMap(([name, secret]) =>
    Object.entries(encodedForms(secret)).map(([form, written]) => ({
      ruleId: 'hardcoded-secret',
      severity: 'critical',
      file: 'src/aws.ts',
      line: 1,
      message: `${name} as ${form}: ${written}`,
      evidence: `const leaked = ${written};`,
      recommendation: `rotate ${written}`,
    })),
  );
  const summary = CHECKED_VALUES.map((secret) => Object.values(encodedForms(secret)).join(' | ')).join('\n');
  return { summary, findings };
}

/** Tool results the CLI sent back so far: the step of the script this request is at. */
function toolResultsIn(request: RecordedRequest): number {
  const messages = (request.body as { messages?: { content?: unknown }[] } | undefined)?.messages ?? [];
  return messages.flatMap((m) => (Array.isArray(m.content) ? (m.content as { type?: string }[]) : [])).filter((block) => block.type === 'tool_result').length;
}

/** The model that reads the secrets, tries to send them out hex- and base64-encoded, then answers with every form. */
function modelWithTools(request: RecordedRequest): FakeReply {
  const forms = encodedForms(SECRETS.githubToken);
  const script: FakeReply[] = [
    { kind: 'toolCall', name: 'Read', input: { file_path: 'src/aws.ts' } },
    { kind: 'toolCall', name: 'Bash', input: { command: `echo ${forms.hex} ${encodedForms(SECRETS.dbPassword).base64} ${forms.reversed} > /tmp/out` } },
    { kind: 'structuredOutput', value: leakingAnswer() },
  ];
  return script[Math.min(toolResultsIn(request), script.length - 1)]!;
}

/** The same answer with no tool call at all: masking must not depend on one. */
const modelWithoutTools = (): FakeReply => ({ kind: 'structuredOutput', value: leakingAnswer() });

describe('case 7: a secret the model writes encoded, split, spaced, reversed or re-cased never reaches what is stored, printed or exported', () => {
  let scratch: string;
  let home: string;
  /** Where the CLI keeps its state (run records, findings): searched with everything else it wrote. */
  let stateDir: string;
  let model: FakeModelServer | undefined;

  const cli = async (repo: string, args: string[]): Promise<CliResult> =>
    runCli(args, {
      cwd: repo,
      unprivileged: true,
      env: { HOME: home, HW_STATE_DIR: stateDir, ANTHROPIC_BASE_URL: model!.url, ANTHROPIC_API_KEY: FAKE_API_KEY, HW_CLAUDE_BIN: CLAUDE_BIN, DISABLE_TELEMETRY: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' },
      timeoutMs: 120_000,
    });

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'hw-encoded-leak-'));
    home = path.join(scratch, 'home');
    stateDir = path.join(scratch, 'state');
    await mkdir(home);
    await mkdir(stateDir);
    await giveToUnprivileged(scratch);
  });
  afterAll(async () => {
    await model?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  it('the leak search is able to fail: it finds every form of every secret, also JSON-escaped', () => {
    const missed = SECRET_VALUES.flatMap((secret) =>
      Object.entries(encodedForms(secret))
        .filter(([form, text]) => [`a finding: ${text}.`, JSON.stringify({ text })].some((written) => findEncodedLeaks([{ where: form, text: written }], [secret]).length === 0))
        .map(([form]) => `${form} of ${secret.slice(0, 4)}…`),
    );

    expect(missed).toEqual([]);
  });

  for (const [label, reply, withTools] of [
    ['after reading the files and a refused Bash call', modelWithTools, true],
    ['without any tool call', modelWithoutTools, false],
  ] as const) {
    it(`${label}: no form of any secret in the stored record, the printed output or the SARIF file`, async () => {
      // prepare
      const repo = await makeRepo(REPOSITORY, 'hw-encoded-repo-');
      await giveToUnprivileged(repo);
      await model?.close();
      model = await startFakeModelServer({ reply });
      const sarif = path.join(scratch, `${withTools ? 'tools' : 'plain'}.sarif`);

      // act
      const asJson = await cli(repo, ['run', 'audit', '--headless', '--json', '--full', '--sarif', sarif]);
      const shown = await cli(repo, ['run', 'audit', '--headless', '--full']);

      // assess: the run went as the attacker meant
      expect(asJson.code, asJson.stderr).toBe(0);
      const record = JSON.parse(asJson.stdout) as { mode: string; status: string; violations: { detail: string }[]; parsedOutput: { findings: unknown[] } };
      expect(record).toMatchObject({ mode: 'headless', status: 'SUCCEEDED' });
      expect(record.parsedOutput.findings).toHaveLength(SECRET_VALUES.length * Object.keys(encodedForms('x')).length);
      if (withTools) {
        expect(record.violations.map((v) => v.detail).join('\n')).toMatch(/^Bash: echo/m);
        const sentBack = model.mainRequests().map((r) => r.rawBody).join('\n');
        expect(sentBack).toContain(SECRETS.awsSecret);
      }
      expect(shown.code, shown.stderr).toBe(0);

      // assess: nothing of a secret anywhere the product wrote
      const exhibits: Exhibit[] = [
        { where: 'run --json stdout', text: asJson.stdout },
        { where: 'run --json stderr', text: asJson.stderr },
        { where: 'run stdout', text: shown.stdout },
        { where: 'run stderr', text: shown.stderr },
        { where: 'SARIF', text: await readFile(sarif, 'utf8') },
        ...(await filesUnder(path.join(repo, '.headless-workers')).catch((): Exhibit[] => [])),
        ...(await filesUnder(stateDir)),
        ...(await filesUnder(home)),
      ];
      const storedRecords = exhibits.filter((e) => e.where.startsWith(stateDir) && e.text.includes('"mode": "headless"'));
      expect(storedRecords.length).toBeGreaterThanOrEqual(2);
      const writtenForms = exhibits.flatMap(({ where, text }) =>
        CHECKED_VALUES.flatMap((secret) =>
          Object.entries(encodedForms(secret))
            .filter(([, written]) => text.includes(written) || text.includes(JSON.stringify(written).slice(1, -1)))
            .map(([form]) => `${where}: ${form} of ${secret.slice(0, 4)}…`),
        ),
      );
      expect(writtenForms).toEqual([]);
      expect(findEncodedLeaks(exhibits, CHECKED_VALUES)).toEqual([]);
    }, 240_000);
  }
});

import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cliProcess.js';
import { writeMultiRunFixture } from './multiRunFixture.js';

/* The `report` command as a user runs it: bad input named with the fix, and --open never failing it. */
describe('report command', () => {
  it('refuses cloud-only options without --cloud and an --out that is a folder, exit 2 without a stack trace', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hw-report-cli-'));
    await mkdir(path.join(dir, 'out.html'));
    const stack = await runCli(['report', '--repo', dir, '--stack', 'Prod']);
    const folder = await runCli(['report', '--repo', dir, '--out', path.join(dir, 'out.html')]);
    expect(stack).toMatchObject({ code: 2, stderr: 'error: --stack reads the deployed stack: add --cloud\n' });
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/^error: --out .*out\.html is a directory; give a file path/);
    expect(folder.stderr).not.toMatch(/\n\s+at /);
  });

  it('writes the report with --open when no opener exists, and says how to open it', async () => {
    const fixture = await writeMultiRunFixture();
    const out = path.join(fixture.stateDir, 'r.html');
    const result = await runCli(['report', '--repo', fixture.repoDir, '--state-dir', fixture.stateDir, '--out', out, '--open'], { env: { PATH: '/nonexistent' } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`wrote ${out}: ${fixture.findings.length} tracked finding(s), ${fixture.runs.length} run(s)\n`);
    expect(result.stderr).toBe(`note: could not start xdg-open to open the report; open ${out} in a browser\n`);
    expect(await readFile(out, 'utf8')).toMatch(/^<!doctype html>/);
  });
});

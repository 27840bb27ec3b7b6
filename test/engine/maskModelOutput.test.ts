import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { maskModelOutput } from '../../workers/engine/maskModelOutput.js';
import { KnownSecretMasker, repositorySecretValues } from '../../workers/secrets/index.js';
import { makeRepo } from '../helpers/fixtureRepo.js';
import { fakeToken, CHARSETS } from '../helpers/secretFixtures.js';

const GITHUB = `ghp_${fakeToken(CHARSETS.ALNUM, 36, 3)}`;
const PASSWORD = `Q7v${fakeToken(CHARSETS.ALNUM, 9, 43)}`;

describe('masking what the model wrote', () => {
  let repo: string | undefined;
  afterEach(async () => {
    if (repo) await rm(repo, { recursive: true, force: true });
  });

  it('masks rule-found secrets and known values at any depth, leaving structure, numbers and other text alone', () => {
    const answer = { summary: `token ${GITHUB}`, findings: [{ line: 3, evidence: `the password is ${PASSWORD}`, ok: true }, null] };

    const masked = maskModelOutput(answer, [PASSWORD]);

    expect(masked).toEqual({ summary: 'token ghp_****************', findings: [{ line: 3, evidence: `the password is ${'*'.repeat(12)}`, ok: true }, null] });
    expect(maskModelOutput('nothing secret here', [PASSWORD])).toBe('nothing secret here');
  });

  it('masks known values in any encoding at every string leaf, with one masker built for the run', () => {
    const masker = new KnownSecretMasker([PASSWORD]);
    const hex = Buffer.from(PASSWORD).toString('hex');
    const answer = { summary: `it is ${PASSWORD.toLowerCase()}`, findings: [{ evidence: `bytes ${hex}`, notes: [[...PASSWORD].join(' ')] }], stats: { [PASSWORD]: 1 } };

    const masked = JSON.stringify(maskModelOutput(answer, masker));

    expect(masked).not.toContain(PASSWORD.toLowerCase());
    expect(masked).not.toContain(hex);
    expect(masked).not.toContain([...PASSWORD].join(' '));
    expect(masked).not.toContain(PASSWORD);
    expect(masked).toContain('"summary":"it is ************"');
  });

  it('collects the values a secret scan finds in the tree: assignments, .env values and key lines; short words left out', async () => {
    repo = await makeRepo({
      'src/settings.py': `DATABASE_PASSWORD = "${PASSWORD}"\n`,
      '.env': 'DEBUG=true\nSESSION_KEY=abcdefgh12345678\n',
      'README.md': '# nothing here\n',
    });

    const values = await repositorySecretValues(repo);

    expect(values.sort()).toEqual(['abcdefgh12345678', PASSWORD].sort());
  });
});

import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialEnvValues, KnownSecretMasker } from '../../workers/secrets/index.js';
import { PROJECT_ROOT } from '../helpers/cliProcess.js';
import { encodedForms, findEncodedLeaks } from '../helpers/encodedSecretForms.js';
import { CHARSETS, fakePrivateKey, fakeToken } from '../helpers/secretFixtures.js';

const AWS_KEY_ID = `AKIA${fakeToken(CHARSETS.UPPER_BASE32, 16, 801)}`;
const AWS_SECRET = fakeToken(CHARSETS.BASE64, 40, 802);
const PASSWORD = `Vx7${fakeToken(CHARSETS.ALNUM, 9, 803)}!`;
const HEX_TOKEN = fakeToken(CHARSETS.HEX, 32, 804);
const SECRETS = [AWS_KEY_ID, AWS_SECRET, PASSWORD, HEX_TOKEN];

/** Ordinary text a model answer is made of: this project's README and some of its source. */
const PROSE = ['README.md', 'workers/secrets/secretRules.ts', 'workers/engine/runHeadless.ts', 'package.json']
  .map((file) => readFileSync(path.join(PROJECT_ROOT, file), 'utf8'))
  .join('\n');

describe('KnownSecretMasker', () => {
  const masker = new KnownSecretMasker(SECRETS);

  it.each(SECRETS.flatMap((secret) => Object.entries(encodedForms(secret)).map(([form, written]) => ({ form, secret, written }))))(
    'masks the $form form of $secret',
    ({ written, secret }) => {
      const answer = `The committed value (${written}) must be rotated.`;

      const masked = masker.mask(answer);

      expect(masked).toMatch(/^The committed value \(.*\*{4,}.*\) must be rotated\.$/s);
      expect(findEncodedLeaks([{ where: 'answer', text: masked }], [secret])).toEqual([]);
    },
  );

  it('also finds a hex secret written with escape markers between its digits, and a partly percent-encoded password (its letters and digits masked)', () => {
    const spaced = HEX_TOKEN.match(/../g)!.map((pair) => `%${pair}`).join('');
    const partly = PASSWORD.replace('!', '%21');

    expect(masker.mask(`a ${spaced} b`)).not.toContain(HEX_TOKEN.slice(4, 12));
    expect(masker.mask(`a ${partly} b`)).toBe(`a ${'*'.repeat(12)}%21 b`);
  });

  it('masks every line of a private key wherever they are quoted, and the mask never shows more than 4 characters', () => {
    const key = fakePrivateKey('RSA', 3, 805);
    const lines = key.split('\n').slice(1, 4);
    const keyMasker = new KnownSecretMasker(lines);

    const masked = keyMasker.mask(`key: ${lines.join('').toLowerCase()} and ${Buffer.from(lines[1]!).toString('base64')}`);

    expect(findEncodedLeaks([{ where: 'answer', text: masked }], lines)).toEqual([]);
    expect(masked).toMatch(/^key: .{0,4}\*+ and .{0,4}\*+$/);
  });

  it('leaves ordinary prose, code, hex ids and unrelated base64 untouched, also with hundreds of known values', () => {
    const many = new KnownSecretMasker([...SECRETS, ...Array.from({ length: 300 }, (_, i) => fakeToken(CHARSETS.ALNUM, 12 + (i % 30), 900 + i))]);
    const hexAndBase64 = `commit 3f2a9c81d0e4b7a6c5f3e2d1a0b9c8d7e6f5a4b3, id 0x7fffffff, blob ${Buffer.from(PROSE.slice(0, 3000)).toString('base64')}`;

    expect(many.mask(PROSE)).toBe(PROSE);
    expect(many.mask(hexAndBase64)).toBe(hexAndBase64);
  });

  it('masks a word-like value (a .env value such as "production") only where it is written exactly, so prose keeps its words', () => {
    const words = new KnownSecretMasker(['production', 'localhost1']);

    expect(words.mask('Deploy to production. Production runs on PRODUCTION hosts.')).toBe('Deploy to **********. Production runs on PRODUCTION hosts.');
    expect(words.mask('hex 70726f64756374696f6e')).not.toContain('70726f64756374696f6e');
    expect(words.mask('a Localhost-1 b')).toBe('a *********** b');
  });

  it('ignores values shorter than 8 characters, and an empty list masks nothing', () => {
    expect(new KnownSecretMasker(['secret1', 'abc']).mask('secret1 abc')).toBe('secret1 abc');
    expect(new KnownSecretMasker([]).isEmpty).toBe(true);
  });

  it('property: any secret-looking value of 8+ characters, in any of the forms, inside random text, is masked', () => {
    const secretChar = fc.constantFrom(...`${CHARSETS.ALNUM}!#$&*+-./:=?@_~`);
    const secret = fc
      .string({ unit: secretChar, minLength: 8, maxLength: 48 })
      .filter((value) => {
        const alnum = value.replace(/[^A-Za-z0-9]/g, '');
        return alnum.length >= 16 || (alnum.length >= 8 && /[A-Za-z]/.test(alnum) && /[0-9]/.test(alnum));
      });
    const form = fc.constantFrom(...(Object.keys(encodedForms('x')) as (keyof ReturnType<typeof encodedForms>)[]));
    const surrounding = fc.string({ maxLength: 60 });

    fc.assert(
      fc.property(secret, form, surrounding, surrounding, (value, which, before, after) => {
        const text = `${before} ${encodedForms(value)[which]} ${after}`;

        const masked = new KnownSecretMasker([value]).mask(text);

        return findEncodedLeaks([{ where: which, text: masked }], [value]).length === 0;
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('credentialEnvValues', () => {
  it('takes the runner credentials by variable name and leaves the rest', () => {
    const env = { ANTHROPIC_API_KEY: 'sk-ant-api03-abcdefgh', AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjE', GITHUB_TOKEN: 'ghp_xxxxxxxx1', PATH: '/usr/bin:/bin', AWS_REGION: 'eu-west-1', NO_TOKEN: 'short' };

    expect(credentialEnvValues(env).sort()).toEqual(['IQoJb3JpZ2luX2VjE', 'ghp_xxxxxxxx1', 'sk-ant-api03-abcdefgh']);
  });
});

import { describe, expect, it } from 'vitest';
import { redactSecrets, scanTextForSecrets } from '../../workers/secrets/index.js';
import { CHARSETS, fakePrivateKey, fakeToken, secretRuleCases } from '../helpers/secretFixtures.js';

describe('redactSecrets', () => {
  it.each(secretRuleCases())('removes the $ruleId value and leaves a marker', (testCase) => {
    // Act
    const result = redactSecrets(testCase.positive, testCase.file);

    // Assess
    expect(result.text).not.toContain(testCase.secret);
    expect(result.text).toContain('[REDACTED:');
    expect(result.count).toBeGreaterThanOrEqual(1);
  });

  it('keeps names and structure so the code stays readable', () => {
    // Prepare
    const secret = fakeToken(CHARSETS.ALNUM, 32, 101);
    const code = `const config = {\n  region: 'eu-west-1',\n  clientSecret: '${secret}',\n};\n`;

    // Act
    const result = redactSecrets(code, 'src/config.ts');

    // Assess
    expect(result).toEqual({
      text: "const config = {\n  region: 'eu-west-1',\n  clientSecret: '[REDACTED:secret-assignment]',\n};\n",
      count: 1,
    });
  });

  it('leaves ordinary code untouched', () => {
    // Prepare
    const code = "import path from 'node:path';\nexport const name = 'worker';\nconst password = prompt('Password: ');\n";

    // Act
    const result = redactSecrets(code, 'src/index.ts');

    // Assess
    expect(result).toEqual({ text: code, count: 0 });
  });

  it('redacts every value of a .env file, whatever it looks like', () => {
    // Prepare
    const env = '# database\nDB_HOST=localhost\nexport DB_PASSWORD="short"\nEMPTY=\nFEATURE_FLAG=true\n\n';

    // Act
    const result = redactSecrets(env, 'services/api/.env');

    // Assess
    expect(result).toEqual({
      text:
        '# database\nDB_HOST=[REDACTED:sensitive-file-value]\nexport DB_PASSWORD=[REDACTED:sensitive-file-value]\nEMPTY=\nFEATURE_FLAG=[REDACTED:sensitive-file-value]\n\n',
      count: 3,
    });
  });

  it('redacts .env.production and lines that are not assignments (multi-line values)', () => {
    // Prepare
    const env = 'KEY="line one\ncontinued value here"\n';

    // Act
    const result = redactSecrets(env, '.env.production');

    // Assess
    expect(result.text).toBe('KEY=[REDACTED:sensitive-file-value]\n[REDACTED:sensitive-file-value]\n');
  });

  it('checks a .env.example with the rules only: placeholders stay, real values go', () => {
    // Prepare
    const secret = fakeToken(CHARSETS.ALNUM, 32, 102);
    const env = `DB_HOST=localhost\nDB_PASSWORD=changeme\nJWT_SECRET=${secret}\n`;

    // Act
    const result = redactSecrets(env, '.env.example');

    // Assess
    expect(result.text).toBe('DB_HOST=localhost\nDB_PASSWORD=changeme\nJWT_SECRET=[REDACTED:secret-in-config]\n');
  });

  it('redacts an AWS credentials file', () => {
    // Prepare
    const keyId = `AKIA${fakeToken(CHARSETS.UPPER_BASE32, 16, 103)}`;
    const secret = fakeToken(CHARSETS.BASE64, 40, 104);
    const text = `[default]\naws_access_key_id = ${keyId}\naws_secret_access_key = ${secret}\nregion = eu-west-1\n`;

    // Act
    const result = redactSecrets(text, 'home/.aws/credentials');

    // Assess
    expect(result.text).not.toContain(keyId);
    expect(result.text).not.toContain(secret);
    expect(result.text).toContain('[default]\naws_access_key_id = [REDACTED:');
  });

  it.each(['certs/server.pem', 'certs/server.key', 'home/.ssh/id_rsa', 'home/.ssh/id_rsa.pub'])('redacts the whole body of %s', (file) => {
    // Prepare
    const key = fakePrivateKey('RSA', 4, 105);
    const bodyLines = key.split('\n').slice(1, 5);

    // Act
    const result = redactSecrets(key, file);

    // Assess
    for (const line of bodyLines) expect(result.text).not.toContain(line);
    expect(result.text.startsWith('-----BEGIN RSA PRIVATE KEY-----\n')).toBe(true);
    expect(result.text.trimEnd().endsWith('-----END RSA PRIVATE KEY-----')).toBe(true);
  });

  it('redacts a one-line public key file whole', () => {
    // Prepare
    const body = fakeToken(CHARSETS.BASE64, 200, 106);

    // Act
    const result = redactSecrets(`ssh-ed25519 ${body} dev@laptop\n`, 'id_ed25519.pub');

    // Assess
    expect(result.text).toBe('[REDACTED:key-material]\n');
  });

  it('redacts a private key embedded in a JSON string with escaped newlines', () => {
    // Prepare
    const key = fakePrivateKey('', 3, 107).replace(/\n/g, '\\n');
    const body = key.split('\\n')[1]!;
    const json = `{\n  "type": "service_account",\n  "private_key": "${key}",\n  "client_email": "svc@proj.iam.gserviceaccount.com"\n}\n`;

    // Act
    const result = redactSecrets(json, 'deploy/service-account.json');

    // Assess
    expect(result.text).not.toContain(body);
    expect(result.text).toContain('"client_email": "svc@proj.iam.gserviceaccount.com"');
  });

  it('redacts a truncated private key that has no END line', () => {
    // Prepare
    const key = fakePrivateKey('EC', 3, 108);
    const truncated = key.slice(0, key.indexOf('-----END'));

    // Act
    const result = redactSecrets(truncated, 'notes/key.txt');

    // Assess
    expect(result.text).toBe('-----BEGIN EC PRIVATE KEY-----\n[REDACTED:private-key]\n');
  });

  it('redacts a long random string that no rule reports', () => {
    // Prepare
    const random = fakeToken(CHARSETS.ALNUM, 48, 109);
    const text = `const blob = decode("${random}");\n`;

    // Act
    const redacted = redactSecrets(text, 'src/blob.ts');
    const findings = scanTextForSecrets(text, 'src/blob.ts');

    // Assess
    expect(redacted.text).toBe('const blob = decode("[REDACTED:high-entropy-string]");\n');
    expect(findings).toEqual([]);
  });

  it('keeps hex digests and long identifiers readable', () => {
    // Prepare
    const text =
      'const digest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";\nconst name = "AbstractSingletonProxyFactoryBeanDefinition";\n';

    // Act
    const result = redactSecrets(text, 'src/digest.ts');

    // Assess
    expect(result.count).toBe(0);
  });
});

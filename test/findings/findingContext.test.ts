import { describe, expect, it } from 'vitest';
import type { Finding } from '../../workers/run/types.js';
import { contextOfPath, withFindingContext } from '../../workers/findings/findingContext.js';
import { sarifForRun } from '../../workers/findings/sarif/index.js';
import { scanTextForSecrets } from '../../workers/secrets/index.js';
import { runResultOf } from '../helpers/runResultFixture.js';

describe('finding context (signal first)', () => {
  it('tells tests, fixtures, docs, examples and translations from production code, in any language', () => {
    // Act / Assess
    expect(contextOfPath('src/auth/login.ts')).toBeUndefined();
    expect(contextOfPath('app/controllers/users_controller.rb')).toBeUndefined();
    expect(contextOfPath('src/auth/login.spec.ts')).toBe('test');
    expect(contextOfPath('tests/test_models.py')).toBe('test');
    expect(contextOfPath('pkg/db/testdata/dump.sql')).toBe('test');
    expect(contextOfPath('docs/guide.md')).toBe('docs');
    expect(contextOfPath('examples/server.go')).toBe('example');
    expect(contextOfPath('web/assets/i18n/de_DE.json')).toBe('i18n');
    expect(contextOfPath('config/locales/fr.yml')).toBe('i18n');
    expect(contextOfPath('app/src/main/res/values-pt-rBR/strings.xml')).toBe('i18n');
    expect(contextOfPath('po/ja.po')).toBe('i18n');
  });

  it('lowers the severity outside production code and SARIF gives such findings the level note', () => {
    // Prepare
    const findings = ([
      { ruleId: 'sql-injection', severity: 'high' as const, file: 'src/db.ts', line: 3, message: 'Query built by concatenation' },
      { ruleId: 'sql-injection', severity: 'high' as const, file: 'test/db.test.ts', line: 3, message: 'Query built by concatenation' },
    ] as Finding[]).map(withFindingContext);

    // Act
    const log = sarifForRun(runResultOf({ summary: '', findings }), { toolVersion: '0.0.0' });

    // Assess
    expect(findings.map((finding) => [finding.severity, finding.context])).toEqual([['high', undefined], ['low', 'test']]);
    expect(log.runs[0]!.results.map((result) => [result.level, result.properties?.context])).toEqual([['error', undefined], ['note', 'test']]);
  });

  it('password-assignment does not fire on natural-language values, and still fires on passwords', () => {
    // Prepare
    const labels = ['"FORGOT_PASSWORD": "Passwort vergessen?",', '"LABEL_PASSWORD": "पासवर्ड",', '"LABEL_PASSWORD": "รหัสผ่าน",', '"FORGOT_PASSWORD": "Забыли пароль?",'];
    const passwords = ['const password = "Summer2024!x"', 'db_password = "hunter22xyz"'];

    // Act / Assess
    for (const line of labels) expect(scanTextForSecrets(line, 'src/labels.json').map((finding) => finding.ruleId), line).not.toContain('password-assignment');
    for (const line of passwords) expect(scanTextForSecrets(line, 'src/app.ts').map((finding) => finding.ruleId), line).toContain('password-assignment');
  });
});

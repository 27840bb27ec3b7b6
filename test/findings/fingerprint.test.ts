import { describe, expect, it } from 'vitest';
import { fingerprintFinding, normalizeRuleId } from '../../workers/findings/index.js';

const FILE = [
  "import { query } from './pool';",
  '',
  'export function findUser(name: string) {',
  '  return query("SELECT * FROM users WHERE name = \'" + name + "\'");',
  '}',
  '',
  'export function findOrder(id: string) {',
  '  return query("SELECT * FROM orders WHERE id = \'" + id + "\'");',
  '}',
];
const SQL = { ruleId: 'sql-injection', file: 'src/db.ts', line: 4, evidence: 'query("SELECT * FROM users WHERE name = \'" + name + "\'")' };

describe('fingerprintFinding', () => {
  it('keeps the fingerprint when lines are inserted above the finding', () => {
    const before = fingerprintFinding(SQL, FILE);
    const shifted = ['// header', '// another', ...FILE];

    expect(fingerprintFinding({ ...SQL, line: 6 }, shifted)).toBe(before);
  });

  it('keeps it when unrelated code is reformatted and the flagged line is re-indented', () => {
    const before = fingerprintFinding(SQL, FILE);
    const reformatted = FILE.map((line) => line.replace(/^ {2}/, '    ').replace('import { query }', 'import {query}'));

    expect(fingerprintFinding(SQL, reformatted)).toBe(before);
  });

  it('keeps it when a model words the rule differently, or reports a line that is slightly off', () => {
    const before = fingerprintFinding(SQL, FILE);

    expect(fingerprintFinding({ ...SQL, ruleId: 'SQL Injection Vulnerability' }, FILE)).toBe(before);
    expect(fingerprintFinding({ ...SQL, ruleId: 'sqli', line: 3 }, FILE)).toBe(before);
    expect(fingerprintFinding({ ...SQL, line: 6 }, FILE)).toBe(before);
  });

  it('gives two different findings in one file different fingerprints, including on identical lines', () => {
    const users = fingerprintFinding(SQL, FILE);
    const orders = fingerprintFinding({ ...SQL, line: 8, evidence: undefined }, FILE);
    const twin = ['x();', 'eval(input);', 'y();', 'eval(input);'];

    expect(orders).not.toBe(users);
    expect(fingerprintFinding({ ruleId: 'js-eval', file: 'a.js', line: 2 }, twin)).not.toBe(fingerprintFinding({ ruleId: 'js-eval', file: 'a.js', line: 4 }, twin));
    expect(fingerprintFinding({ ...SQL, ruleId: 'command-injection' }, FILE)).not.toBe(users);
  });

  it('anchors masked secret evidence on its unmasked head', () => {
    const lines = ["export const region = 'eu';", "export const key = 'AKIAQ3EGRJ7XWY5NZ2VB';"];
    const finding = { ruleId: 'aws-access-key-id', file: 'c.ts', line: 1, evidence: "export const key = 'AKIA****************';" };

    expect(fingerprintFinding(finding, lines)).toBe(fingerprintFinding({ ...finding, line: 2 }, lines));
  });

  it('normalizes rule ids to one category', () => {
    expect(['SQL_Injection', 'sqli', 'sql-injection-vulnerability'].map(normalizeRuleId)).toEqual(['sql-injection', 'sql-injection', 'sql-injection']);
    expect(normalizeRuleId('Hard-coded credentials')).toBe('hardcoded-secret');
  });
});

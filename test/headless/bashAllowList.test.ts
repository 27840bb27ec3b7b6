import { describe, expect, it } from 'vitest';
import { bashAllowListProblems } from '../../workers/headless/index.js';

describe('bashAllowListProblems', () => {
  it('accepts exact commands and wildcards after programs that do not run code they are given', () => {
    // Act / assess
    expect(bashAllowListProblems(['npm test', 'git diff', 'git status', 'ls:*', 'cat README.md', 'python -m pytest', 'make check'])).toEqual([]);
  });

  it.each([
    ['sh:*', 'sh'],
    ['bash:*', 'bash'],
    ['bash -c *', 'bash'],
    ['env:*', 'env'],
    ['node:*', 'node'],
    ['npx:*', 'npx'],
    ['python3:*', 'python3'],
    ['python3.12 -c *', 'python3.12'],
    ['/bin/sh:*', 'sh'],
    ['git:*', 'git'],
    ['xargs *', 'xargs'],
    ['find . -exec *', 'find'],
    ['npm run test:*', 'npm'],
  ])('refuses %s: %s runs any code, so a wildcard after it allows every command', (entry, program) => {
    // Act
    const problems = bashAllowListProblems(['npm test', entry]);

    // Assess
    expect(problems).toEqual([
      `bashAllowList[1] ${JSON.stringify(entry)} runs ${program} with a wildcard: ${program} runs any code it is given, so this allows every command; list exact commands instead, e.g. "npm test"`,
    ]);
  });

  it.each([
    ['*', /is empty or a bare wildcard/],
    [' ', /is empty or a bare wildcard/],
    [':*', /is empty or a bare wildcard/],
    ['python*:*', /wildcard in the program name/],
    ['*:*', /is empty or a bare wildcard/],
    ['FOO=1 npm test', /starts with a variable assignment/],
    ['npm test) Bash(rm', /parentheses, commas or control characters/],
    ['ls\nrm -rf /', /parentheses, commas or control characters/],
  ])('refuses %j with a reason naming the field', (entry, reason) => {
    // Act
    const problems = bashAllowListProblems([entry], 'workers.optimize.bashAllowList');

    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^workers\.optimize\.bashAllowList\[0\] /);
    expect(problems[0]).toMatch(reason);
  });
});

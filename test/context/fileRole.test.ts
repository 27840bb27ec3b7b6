import { describe, expect, it } from 'vitest';
import { fileRole, isEntryPoint, isSecurityRelevant, subjectStem } from '../../workers/context/index.js';

describe('fileRole', () => {
  it.each([
    ['src/auth/login.ts', 'source'],
    ['src/auth/login.test.ts', 'test'],
    ['pkg/server/handler_test.go', 'test'],
    ['tests/test_views.py', 'test'],
    ['src/test/java/com/acme/UserServiceTest.java', 'test'],
    ['src/latest.ts', 'source'],
    ['spec/models/user_spec.rb', 'test'],
    ['examples/server.ts', 'example'],
    ['README.md', 'docs'],
    ['LICENSE', 'docs'],
    ['docs/diagram.svg', 'docs'],
    ['src/security.ts', 'source'],
    ['package.json', 'config'],
    ['.env', 'config'],
    ['vite.config.ts', 'config'],
    ['Dockerfile', 'config'],
    ['requirements-dev.txt', 'config'],
    ['assets/font.xyz', 'other'],
  ])('%s is %s', (filePath, role) => {
    // act / assess
    expect(fileRole(filePath)).toBe(role);
  });

  it('recognises entry points and security-relevant words by word start, not substring', () => {
    // act / assess
    expect(isEntryPoint('cmd/tool/main.go')).toBe(true);
    expect(isEntryPoint('src/domain.ts')).toBe(false);
    expect(isSecurityRelevant('src/authMiddleware.ts')).toBe(true);
    expect(isSecurityRelevant('app/controllers/upload_controller.rb')).toBe(true);
    expect(isSecurityRelevant('src/api/users.ts')).toBe(true);
    expect(isSecurityRelevant('src/capital.ts')).toBe(false);
    expect(isSecurityRelevant('src/colors.ts')).toBe(false);
  });

  it('finds the subject a test is about', () => {
    // act / assess
    expect(subjectStem('test/auth/login.spec.ts')).toBe('login');
    expect(subjectStem('tests/test_invoice.py')).toBe('invoice');
    expect(subjectStem('pkg/cart_test.go')).toBe('cart');
    expect(subjectStem('src/test/java/UserServiceTest.java')).toBe('userservice');
    expect(subjectStem('src/UserService.java')).toBe('userservice');
  });
});

import { describe, expect, it } from 'vitest';
import { compactFileList } from '../../workers/context/compactFileList.js';

describe('compactFileList', () => {
  it('keeps production paths and counts tests, docs, translations and styles by folder', () => {
    // prepare
    const paths = [
      'src/auth/login.ts',
      'web/src/app/a/a.component.scss',
      'web/src/app/b/b.component.scss',
      'web/src/app/c/c.component.scss',
      'test/server/a.test.ts',
      'test/server/b.test.ts',
      'test/server/c.test.ts',
      'docs/one.md',
      'i18n/de.json',
    ];
    // act
    const listed = compactFileList(paths);
    // assess
    expect(listed).toEqual([
      'docs/one.md',
      'i18n/de.json',
      'src/auth/login.ts',
      'test/server/ (3 tests, docs, examples, translations or styles)',
      'web/src/app/ (3 tests, docs, examples, translations or styles)',
    ]);
  });
});

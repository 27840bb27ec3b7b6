import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../workers/output/parseMarkdown.js';

describe('parseMarkdown', () => {
  it('splits headings, bullets and code blocks into sections', () => {
    // prepare
    const text = [
      'Intro before any heading.',
      '',
      '# Optimisation report',
      '',
      '## Hot paths',
      '- `parse()` allocates per call',
      '  and again per line',
      '* cache the regex',
      '1. first numbered',
      '',
      '### Detail ###',
      '```ts',
      'const x = 1;',
      '```',
    ].join('\n');

    // act
    const doc = parseMarkdown(text);

    // assess
    expect(doc.title).toBe('Optimisation report');
    expect(doc.sections.map((s) => [s.level, s.heading])).toEqual([
      [0, ''],
      [1, 'Optimisation report'],
      [2, 'Hot paths'],
      [3, 'Detail'],
    ]);
    expect(doc.sections[0]?.body).toBe('Intro before any heading.');
    expect(doc.sections[2]?.bullets).toEqual(['`parse()` allocates per call and again per line', 'cache the regex', 'first numbered']);
    expect(doc.sections[3]?.codeBlocks).toEqual([{ lang: 'ts', code: 'const x = 1;' }]);
    expect(doc.codeBlocks).toEqual([{ lang: 'ts', code: 'const x = 1;' }]);
  });

  it('does not take # lines inside ``` or ~~~ fences for headings', () => {
    // prepare
    const text = [
      '## Setup',
      '```bash',
      '# install deps',
      'npm ci',
      '~~~',
      '```',
      '~~~python',
      '# a comment',
      '```',
      '~~~',
      '## Next',
      'text',
    ].join('\n');

    // act
    const doc = parseMarkdown(text);

    // assess
    expect(doc.title).toBeUndefined();
    expect(doc.sections.map((s) => s.heading)).toEqual(['Setup', 'Next']);
    expect(doc.sections[0]?.codeBlocks).toEqual([
      { lang: 'bash', code: '# install deps\nnpm ci\n~~~' },
      { lang: 'python', code: '# a comment\n```' },
    ]);
    expect(doc.sections[0]?.body).toContain('# install deps');
  });

  it('runs an unterminated fence to the end of the document', () => {
    // prepare
    const text = ['# Title', '```json', '{"a": 1}', '# not a heading', ''].join('\n');

    // act
    const doc = parseMarkdown(text);

    // assess
    expect(doc.sections).toHaveLength(1);
    expect(doc.codeBlocks).toEqual([{ lang: 'json', code: '{"a": 1}\n# not a heading\n' }]);
  });

  it('reads setext headings, ignores #hashtags, rules and indented code', () => {
    // prepare
    const text = ['Summary', '=======', '#hashtag is text', '', '---', '', '    # indented code', 'Risks', '-----', '- one'].join('\n');

    // act
    const doc = parseMarkdown(text);

    // assess
    expect(doc.title).toBe('Summary');
    expect(doc.sections.map((s) => [s.level, s.heading])).toEqual([
      [1, 'Summary'],
      [2, 'Risks'],
    ]);
    expect(doc.sections[0]?.body).toBe('#hashtag is text\n\n---\n\n    # indented code');
    expect(doc.sections[1]?.bullets).toEqual(['one']);
  });
});

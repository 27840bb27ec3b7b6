import { describe, expect, it } from 'vitest';
import { renderPrompt } from '../../workers/engine/renderPrompt.js';

describe('renderPrompt', () => {
  it('fills placeholders once, never expanding placeholders inside repository text', () => {
    const prompt = renderPrompt('T={{target}}\nF={{fileList}}\nC={{chained}}\nX={{context}}\nU={{unknown}}', {
      target: 'api',
      fileList: 'a.ts',
      chained: '(none)',
      context: 'const s = "{{target}} {{context}}";',
    });
    expect(prompt).toBe('T=api\nF=a.ts\nC=(none)\nX=const s = "{{target}} {{context}}";\nU={{unknown}}');
  });
});

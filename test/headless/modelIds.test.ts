import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_IDS, isModelAlias, modelEnvVar, resolveModelId } from '../../workers/headless/index.js';

describe('resolveModelId', () => {
  it('maps the aliases to the ids the pinned CLI resolves them to', () => {
    // Act / assess
    expect(resolveModelId('haiku', { env: {} })).toBe('claude-haiku-5-5');
    expect(resolveModelId('sonnet', { env: {} })).toBe('claude-sonnet-5-5');
    expect(resolveModelId('opus', { env: {} })).toBe('claude-opus-5-5');
    expect(DEFAULT_MODEL_IDS).toEqual({ haiku: 'claude-haiku-5-5', sonnet: 'claude-sonnet-5-5', opus: 'claude-opus-5-5' });
  });

  it('passes a full model id through unchanged', () => {
    // Act / assess
    expect(resolveModelId('claude-opus-4-8', { env: { HW_MODEL_OPUS: 'x' } })).toBe('claude-opus-4-8');
    expect(resolveModelId('us.anthropic.claude-haiku-4-5-20251001-v1:0', { env: {} })).toBe('us.anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(isModelAlias('claude-opus-4-8')).toBe(false);
  });

  it('takes HW_MODEL_<ALIAS> over the passed overrides over the built-in ids', () => {
    // Prepare
    const overrides = { sonnet: 'claude-sonnet-4-6', haiku: 'claude-haiku-4-5' };
    const env = { HW_MODEL_SONNET: 'claude-sonnet-4-5', HW_MODEL_OPUS: '  ' };

    // Act / assess
    expect(modelEnvVar('sonnet')).toBe('HW_MODEL_SONNET');
    expect(resolveModelId('sonnet', { overrides, env })).toBe('claude-sonnet-4-5');
    expect(resolveModelId('haiku', { overrides, env })).toBe('claude-haiku-4-5');
    expect(resolveModelId('opus', { overrides, env })).toBe('claude-opus-5-5');
  });
});

import { describe, expect, it } from 'vitest';
import { maskSecret, shannonEntropy } from '../../workers/secrets/index.js';

describe('maskSecret', () => {
  it.each([
    ['AKIAZ7QW3ERT5YUI2OPL', 'AKIA****************'],
    ['ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5', 'ghp_****************'],
    ['hunter2!Xy', '**********'],
    ['Zx9mQ2vL8kR4tW6yB1nC', 'Zx9m****************'],
    ['ab', '**'],
  ])('masks %s as %s', (value, expected) => {
    // Act
    const masked = maskSecret(value);

    // Assess
    expect(masked).toBe(expected);
  });

  it('never returns the whole value, even when the value is only a known prefix', () => {
    // Act
    const masked = maskSecret('ghp_');

    // Assess
    expect(masked).not.toBe('ghp_');
    expect(masked).toMatch(/^\*+$/);
  });
});

describe('shannonEntropy', () => {
  it.each([
    ['', 0],
    ['aaaa', 0],
    ['ab', 1],
    ['abcd', 2],
    ['0123456789abcdef', 4],
  ])('gives %j %d bits per character', (value, expected) => {
    // Act
    const entropy = shannonEntropy(value);

    // Assess
    expect(entropy).toBeCloseTo(expected, 10);
  });
});

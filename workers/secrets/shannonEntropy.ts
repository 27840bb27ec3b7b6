/**
 * Shannon entropy of a string in bits per character. Random tokens score high
 * (base64 ≈ 5–6, hex ≈ 4), words and placeholders low, which is how a value
 * assigned to a `password`/`token` name is told apart from `changeme`.
 *
 * @example shannonEntropy('aaaa') === 0; shannonEntropy('ab') === 1
 */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  const length = [...value].length;
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

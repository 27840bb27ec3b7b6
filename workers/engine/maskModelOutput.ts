import { maskSecretsIn } from '../findings/sarif/maskSecretsIn.js';
import { maskSecret } from '../secrets/index.js';

/**
 * Masks the secrets in a value the model wrote, at any depth of a parsed answer:
 * `knownValues` (the repository's own secret values, which the model may have read
 * with its tools and quoted without the context the rules need) first, then whatever
 * the secret rules find. What the model says is stored, printed, logged and exported,
 * so it is masked before any of that, as local findings are.
 *
 * @example maskModelOutput({ evidence: `key = "${awsKeyId}"` }, []) // { evidence: 'key = "AKIA****************"' }
 */
export function maskModelOutput<T>(value: T, knownValues: readonly string[]): T {
  if (typeof value === 'string') {
    const known = knownValues.reduce((text, secret) => (text.includes(secret) ? text.split(secret).join(maskSecret(secret)) : text), value);
    return maskSecretsIn(known, '') as T;
  }
  if (Array.isArray(value)) return value.map((item: unknown) => maskModelOutput(item, knownValues)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskModelOutput(item, knownValues)])) as T;
  }
  return value;
}

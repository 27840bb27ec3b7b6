import { maskSecretsIn } from '../findings/sarif/maskSecretsIn.js';
import { KnownSecretMasker } from '../secrets/index.js';

/**
 * Masks the secrets in a value the model wrote, at any string leaf or key of a parsed answer:
 * `known` values (the repository's own secret values, which the model may have read
 * with its tools, and the runner's credentials) in every form `KnownSecretMasker`
 * recognises (any case, split, spaced, hex, base64, reversed, escaped) first, then
 * whatever the secret rules find. What the model says is stored, printed, logged and
 * exported, so it is masked before any of that, as local findings are.
 *
 * @example maskModelOutput({ evidence: `key = "${awsKeyId}"` }, []) // { evidence: 'key = "AKIA****************"' }
 */
export function maskModelOutput<T>(value: T, known: readonly string[] | KnownSecretMasker): T {
  const masker = known instanceof KnownSecretMasker ? known : new KnownSecretMasker(known);
  return maskLeaves(value, (text) => maskSecretsIn(masker.mask(text), ''));
}

function maskLeaves<T>(value: T, maskText: (text: string) => string): T {
  if (typeof value === 'string') return maskText(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => maskLeaves(item, maskText)) as T;
  if (value !== null && typeof value === 'object') {
    // Keys too: a free-form object in a schema (`stats`) lets the model write a secret as a key.
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [maskText(key), maskLeaves(item, maskText)])) as T;
  }
  return value;
}

import path from 'node:path';

/** How a file is redacted beyond the rules: every assigned value, or every key body. */
export type SensitiveFileKind = 'assignments' | 'key-material';

/** Templates that document variables; their values are checked by the rules only. */
const ENV_TEMPLATE = /^\.env\.(?:example|sample|template)$/i;

/**
 * Says whether a file holds secrets by its nature, whatever its values look
 * like: `.env` files, credential files and key files are redacted wholesale.
 *
 * @example classifySensitiveFile('config/.env.production') === 'assignments'
 */
export function classifySensitiveFile(filePath: string): SensitiveFileKind | null {
  const base = path.posix.basename(filePath.replace(/\\/g, '/'));
  const lower = base.toLowerCase();
  if (lower === '.env' || (lower.startsWith('.env.') && !ENV_TEMPLATE.test(base))) return 'assignments';
  if (lower.endsWith('.env') && !lower.startsWith('.')) return 'assignments';
  if (lower === 'credentials' || lower.startsWith('credentials.')) return 'assignments';
  if (/^secrets\.(?:ya?ml|json|toml|env)$/.test(lower)) return 'assignments';
  if (['.envrc', '.npmrc', '.pypirc', '.netrc', '.pgpass', '.htpasswd', '.git-credentials'].includes(lower)) return 'assignments';
  if (/\.(?:pem|key|ppk|p8)$/.test(lower)) return 'key-material';
  if (/^id_(?:rsa|dsa|ecdsa|ed25519)/.test(lower)) return 'key-material';
  return null;
}

/** References to a secret kept elsewhere: the value names where it lives, not what it is. */
const REFERENCE =
  /^\$|\$\{|\$\(|\{\{|\}\}|^%[\w.()]+%?s?$|process\.env|import\.meta\.env|os\.environ|getenv|\benv\(|ENV\[|Deno\.env|\bsecrets\.|^vault:|^arn:aws|resolve:secretsmanager|resolve:ssm|^!(?:Ref|Sub|GetAtt|ImportValue)|^op:\/\/|^(?:\/|\.{1,2}\/|~\/)[\w./-]*$/i;

/** Values people write where the real secret should go. */
const PLACEHOLDER_WORDS =
  /example|sample|placeholder|change[_-]?(?:me|it)|dummy|your|redacted|replace|insert|fake|x{4}|\*{3}|\.{3}|…|•|todo|fixme|notreal|not[_-]a[_-]real|password|passwd|secret|token|api[_-]?key|mock|lorem|1234|abcd|<[^>]*>/i;

/** Common defaults and words that are not worth reporting on their own. */
const TRIVIAL_VALUES = new Set([
  'admin', 'root', 'guest', 'test', 'testing', 'user', 'username', 'postgres', 'mysql', 'default', 'none', 'null',
  'nil', 'undefined', 'true', 'false', 'yes', 'no', 'string', 'required', 'optional', 'foo', 'bar', 'foobar', 'baz',
  'pass', 'qwerty', 'letmein', 'abc123', 'test123', '123456', '12345678', 'value', 'empty', 'unset', 'n/a', '~',
]);

/**
 * True when a value only stands in for a secret: an environment or vault
 * reference (`${DB_PASSWORD}`, `process.env.X`), a template marker
 * (`<your-key>`, `{{ token }}`), a placeholder word (`changeme`, `xxxx`,
 * `example`), a trivial default, or the same as a related name in the match
 * (`postgres://postgres:postgres@...`).
 *
 * @example isPlaceholderValue('${API_TOKEN}') === true; isPlaceholderValue('Zr8#qL2v!') === false
 */
export function isPlaceholderValue(value: string, related: readonly string[] = []): boolean {
  const trimmed = value.trim();
  if (trimmed.length === 0) return true;
  if (/^(.)\1*$/.test(trimmed)) return true;
  if (REFERENCE.test(trimmed) || PLACEHOLDER_WORDS.test(trimmed)) return true;
  const lower = trimmed.toLowerCase();
  if (TRIVIAL_VALUES.has(lower)) return true;
  return related.some((name) => name.length > 0 && name.toLowerCase() === lower);
}

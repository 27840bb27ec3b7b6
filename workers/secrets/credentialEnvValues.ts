/** Names of environment variables that hold a credential (`ANTHROPIC_API_KEY`, `AWS_SESSION_TOKEN`, `DB_PASSWORD`…). */
const CREDENTIAL_NAME = /(?:^|_)(?:API_?KEY|ACCESS_KEY(?:_ID)?|SECRET(?:_ACCESS_KEY)?|SESSION_TOKEN|TOKEN|PASSWORD|PASSWD|CREDENTIALS?|AUTH(?:_TOKEN)?|PRIVATE_KEY)$/i;

/** Shorter values are words or flags (`AWS_SECRET=true`), not credentials. */
const MIN_VALUE_LENGTH = 8;

/**
 * The runner's own credentials found in an environment, by variable name: a model
 * run must not echo them in any form either (Claude Code sees its API key, and an
 * allowed command may read others).
 *
 * @example credentialEnvValues({ ANTHROPIC_API_KEY: 'sk-ant-…', PATH: '/bin' }) // ['sk-ant-…']
 */
export function credentialEnvValues(env: Readonly<Record<string, string | undefined>>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => CREDENTIAL_NAME.test(name) && value !== undefined && value.trim().length >= MIN_VALUE_LENGTH)
    .map(([, value]) => value!.trim());
}

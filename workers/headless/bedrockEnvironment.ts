type Env = Readonly<Record<string, string | undefined>>;

const isSet = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/** Region, endpoint and model choice of a Bedrock run (Claude Code's documented names). */
export const BEDROCK_SETTING_VARS = [
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'ANTHROPIC_BEDROCK_BASE_URL',
  'CLAUDE_CODE_SKIP_BEDROCK_AUTH',
  'ANTHROPIC_MODEL',
  'ANTHROPIC_SMALL_FAST_MODEL',
  'ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION',
  'ANTHROPIC_DEFAULT_HAIKU_MODEL',
  'ANTHROPIC_DEFAULT_SONNET_MODEL',
  'ANTHROPIC_DEFAULT_OPUS_MODEL',
] as const;

/**
 * The credential sources Claude Code (the AWS SDK's default chain) can use, most
 * specific first, each with the variables it needs. Only the first one present is
 * passed: a Bedrock API key never travels with access keys, and the container's
 * credential endpoint only when nothing else is there.
 */
const CREDENTIAL_SOURCES: readonly { readonly present: (env: Env) => boolean; readonly vars: readonly string[] }[] = [
  { present: (env) => isSet(env.AWS_BEARER_TOKEN_BEDROCK), vars: ['AWS_BEARER_TOKEN_BEDROCK'] },
  {
    present: (env) => isSet(env.AWS_ACCESS_KEY_ID) && isSet(env.AWS_SECRET_ACCESS_KEY),
    vars: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'],
  },
  { present: (env) => isSet(env.AWS_PROFILE), vars: ['AWS_PROFILE', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE'] },
  {
    present: (env) => isSet(env.AWS_WEB_IDENTITY_TOKEN_FILE) && isSet(env.AWS_ROLE_ARN),
    vars: ['AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN', 'AWS_ROLE_SESSION_NAME'],
  },
  {
    present: (env) => isSet(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) || isSet(env.AWS_CONTAINER_CREDENTIALS_FULL_URI),
    vars: [
      'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
      'AWS_CONTAINER_CREDENTIALS_FULL_URI',
      'AWS_CONTAINER_AUTHORIZATION_TOKEN',
      'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
    ],
  },
];

/**
 * The variables a Bedrock run of Claude Code needs, copied from `source`: the switch,
 * region, endpoint and model settings, and ONE credential source (the first present of:
 * Bedrock API key, access keys with their session token, a named profile with its
 * files, web identity, the container's credential endpoint). Every other `AWS_*`
 * variable (another profile's keys, `AWS_CA_BUNDLE`, endpoint overrides of other
 * services) stays out, since the model drives tools that may see Claude's environment.
 * With none present the SDK reads `~/.aws` or the instance metadata itself.
 *
 * @example
 * bedrockEnvironment({ CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'eu-west-1', AWS_PROFILE: 'bedrock', AWS_ACCESS_KEY_ID: 'AKIA…' });
 * // { CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: … } only when the secret key is set too; else the profile
 */
export const bedrockEnvironment = (source: Env): Record<string, string> => {
  const env: Record<string, string> = {};
  const copy = (name: string): void => {
    const value = source[name];
    if (isSet(value)) env[name] = value;
  };
  copy('CLAUDE_CODE_USE_BEDROCK');
  for (const name of BEDROCK_SETTING_VARS) copy(name);
  const credentials = CREDENTIAL_SOURCES.find((candidate) => candidate.present(source));
  for (const name of credentials?.vars ?? []) copy(name);
  return env;
};

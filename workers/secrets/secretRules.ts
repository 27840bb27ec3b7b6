import { IDENTIFIER_WORDS } from './identifierWords.js';
import type { SecretRule, ValueFilter } from './types.js';

/*
 * Modelled on gitleaks' default configuration (v8) so that what gitleaks
 * reports is reported here too: the provider rules use the same token formats
 * and entropy floors, `generic-api-key` mirrors its keyword/entropy rule, and
 * `vendor-credential` stands in for its many "service name next to a value"
 * rules. The assignment rules add what gitleaks leaves out (low-entropy
 * passwords in code and config, credentials in connection strings), with
 * placeholder filtering so that `changeme`, `${DB_PASSWORD}` and
 * `process.env.X` stay quiet.
 */

/** Files whose unquoted `key = value` / `key: value` lines are configuration, not code. */
export const CONFIG_FILE_PATH =
  /(?:^|\/)(?:\.env(?:\.[^/]*)?|[^/]*\.(?:env|ya?ml|properties|ini|cfg|conf|toml|tfvars|hcl|npmrc|pypirc)|\.npmrc|\.pypirc|credentials|Dockerfile[^/]*|[^/]*\.dockerfile|docker-compose[^/]*)$/i;

/** Password-ish names, ending the key (`db_password`, `PASSWORD`, `userPass`); not `bypass`. */
const PASSWORD_NAME = String.raw`(?:password|passwd|passphrase|pwd|(?<![a-z])pass)`;

/** Secret-ish names ending the key (`clientSecret`, `GITHUB_TOKEN`, `apiKey`, `AWS_SECRET_KEY`). */
const SECRET_NAME = String.raw`(?:secret|token|credentials?|api[_.-]?key|(?:access|auth|private|secret|signing|encryption|master|account|client|license|service)[_.-]?key)`;

/** Start of a key: a word boundary, then an optional quote or `$` (PHP, shell). */
const KEY_START = String.raw`(?<![\w.$-])["'$]?`;

/** The key, captured as `key`; the prefix is bounded so long minified lines stay linear. */
const key = (name: string): string => String.raw`(?<key>[\w.-]{0,60}?${name})`;

/** Assignment operators of common languages and config formats, not comparisons. */
const ASSIGN = String.raw`["']?\]?[ \t]*(?::[ \t]*(?:string|str|String)[ \t]*)?(?:=(?![=>~])|:=|:(?!:)|=>|\?=|\|\|=)[ \t]*`;

/** A quoted value; the closing quote must match the opening one, escapes allowed. */
const QUOTED_VALUE = String.raw`(?<q>["'\x60])(?<secret>(?:(?!\k<q>)[^\n\\]|\\.){1,300})\k<q>`;

/** An unquoted config value: not a YAML block/anchor/tag indicator, not a quote. */
const CONFIG_VALUE = String.raw`(?<secret>[^\s"'\x60#;,{}\[\]|>&*!][^\s"'\x60]{0,300})`;

/** Line start of a config assignment: optional `export`/`ENV`/`ARG`/`set`. */
const CONFIG_LINE_START = String.raw`^[ \t]*(?:-[ \t]+)?(?:(?:export|ENV|ARG|set)[ \t]+)?["']?`;

/** A host name (`dev-tenant.eu.auth0.com`): configuration, not a credential. */
const HOST_NAME = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$/;

/** A URL without user info: an address, not a credential (credentials in URLs have their own rule). */
const URL_WITHOUT_CREDENTIALS = /^https?:\/\/[^@\s]*$/;

/** Services whose name alone, next to a random value, says the value is their credential. */
const VENDOR_KEYWORDS = [
  'adafruit', 'airtable', 'algolia', 'alibaba', 'asana', 'atlassian', 'confluence', 'jira', 'bitbucket', 'cloudflare',
  'codecov', 'coinbase', 'confluent', 'contentful', 'datadog', 'discord', 'dropbox', 'fastly', 'finicity', 'flickr',
  'freshbooks', 'gitter', 'gocardless', 'heroku', 'hubspot', 'intercom', 'jfrog', 'artifactory', 'kraken', 'kucoin',
  'launchdarkly', 'linear', 'linkedin', 'mailchimp', 'mailgun', 'mapbox', 'mattermost', 'messagebird', 'netlify',
  'newrelic', 'new_relic', 'nytimes', 'okta', 'plaid', 'rapidapi', 'sendbird', 'sentry', 'snyk', 'sonar',
  'squarespace', 'sumologic', 'telegram', 'travis', 'twitch', 'twitter', 'typeform', 'yandex', 'zendesk', 'pagerduty',
  'circleci', 'vercel', 'supabase', 'firebase', 'auth0', 'twilio', 'sendgrid', 'stripe', 'paypal', 'braintree',
] as const;
const VENDOR_NAMES = VENDOR_KEYWORDS.join('|');

/** Names that contain a secret word but hold an identifier, a size or a location (gitleaks skips these too). */
const NOT_SECRET_KEY =
  /(?:publishable|access(?:ibility|or)|access[_.-]?id|random[_.-]?access|api[_.-]?(?:id|name|version|ur[il]|endpoint|base|host|path)|rapid|author|credentials?[_.-]?(?:id|path|file)|withcredentials|(?:bucket|foreign|hot|idx|natural|primary|pub(?:lic)?|schema|sequence|sort|partition|hash|range|cache|storage|idempotency|dedup(?:e|lication)?)[_.-]?key|turkey|monkey|key[ _.-]?(?:alias|board|code|frame|id|length|name|pair|press(?:ed)?|ring|selector|size|stone|word|up|down|left|right|prefix|type|field|path|file|spec|usage|format|ref)|key[_.-]?vault|keying|secret[_.-]?(?:name|length|size|id|arn|ref|path|version)|csrf[_.-]?token|xsrf[_.-]?token|(?:token|auth)[_.-]?(?:endpoint|ur[il]|type|expir\w*|ttl|length|header|name|path|file|storage)|public[_.-]?token|next[_.-]?token|page[_.-]?token|continuation[_.-]?token|pagination[_.-]?token|max[_.-]?tokens?)/i;

/**
 * gitleaks' generic-api-key checks (entropy, no words-only values, stopwords,
 * names that are not secrets) plus placeholders and host names. No identifier
 * test here: it would miss about 1 random 20-character token in 100 that
 * gitleaks reports.
 */
const GENERIC_FILTER: ValueFilter = {
  minEntropy: 3.5,
  rejectPlaceholders: true,
  rejectWordsOnly: true,
  stopwords: IDENTIFIER_WORDS,
  rejectKeys: NOT_SECRET_KEY,
  allow: [HOST_NAME],
};

// Natural-language values are labels and messages (often translations), never passwords.
const PASSWORD_FILTER: ValueFilter = { minLength: 6, minEntropy: 2, rejectPlaceholders: true, rejectWordsOnly: true, rejectNaturalLanguage: true, maxSpaces: 1 };
const SECRET_FILTER: ValueFilter = {
  minLength: 8,
  minEntropy: 3,
  rejectPlaceholders: true,
  rejectWordsOnly: true,
  rejectIdentifiers: true,
  minCharClasses: 2,
  maxSpaces: 0,
};

/** Provider tokens start with a prefix; a short random tail after it is high entropy. */
const TOKEN_FILTER: ValueFilter = { minEntropy: 3, allow: [/(?:EXAMPLE|example|x{8,}|X{8,}|0{8,})/] };

/**
 * The secret rules, most specific first: when two rules match the same value,
 * the earlier one is reported.
 *
 * @example SECRET_RULES.find((rule) => rule.id === 'github-pat')
 */
export const SECRET_RULES: readonly SecretRule[] = [
  {
    id: 'private-key',
    description: 'Private key block',
    severity: 'critical',
    // Up to the END marker (any text, as gitleaks), or to the end of a truncated file if only key text follows.
    pattern:
      /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----(?:\s|\\n)*(?<secret>[\s\S]{64,}?(?=(?:\s|\\n)*-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----)|[A-Za-z0-9+/=\s\\:,.-]{63,}?[A-Za-z0-9+/=\\:,.-](?=\s*$))/i,
    keywords: ['-----begin'],
  },
  {
    id: 'aws-access-key-id',
    description: 'AWS access key id',
    severity: 'critical',
    pattern: /\b(?<secret>(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b/,
    keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'],
    filter: { minEntropy: 3, allow: [/EXAMPLE$/] },
  },
  {
    id: 'aws-secret-access-key',
    description: 'AWS secret access key',
    severity: 'critical',
    pattern:
      /(?:aws[\w.-]{0,20}?(?:secret|key)|secret_?access_?key)[\w.-]{0,20}?["']?[ \t]*(?:=|:=|:|=>|,)[ \t]*["'\x60]?(?<secret>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/i,
    keywords: ['aws', 'secretaccesskey', 'secret_access_key'],
    filter: { minEntropy: 4, minCharClasses: 2, allow: [/EXAMPLEKEY$/] },
  },
  {
    id: 'github-pat',
    description: 'GitHub personal access token',
    severity: 'critical',
    pattern: /\b(?<secret>ghp_[0-9a-zA-Z]{36})\b/,
    keywords: ['ghp_'],
    filter: TOKEN_FILTER,
  },
  {
    id: 'github-fine-grained-pat',
    description: 'GitHub fine-grained personal access token',
    severity: 'critical',
    pattern: /\b(?<secret>github_pat_\w{82})\b/,
    keywords: ['github_pat_'],
    filter: TOKEN_FILTER,
  },
  {
    id: 'github-oauth',
    description: 'GitHub OAuth access token',
    severity: 'critical',
    pattern: /\b(?<secret>gho_[0-9a-zA-Z]{36})\b/,
    keywords: ['gho_'],
    filter: TOKEN_FILTER,
  },
  {
    id: 'github-app-token',
    description: 'GitHub App user-to-server or installation token',
    severity: 'critical',
    pattern: /\b(?<secret>(?:ghu|ghs)_[0-9a-zA-Z]{36})\b/,
    keywords: ['ghu_', 'ghs_'],
    filter: TOKEN_FILTER,
  },
  {
    id: 'github-refresh-token',
    description: 'GitHub refresh token',
    severity: 'critical',
    pattern: /\b(?<secret>ghr_[0-9a-zA-Z]{36})\b/,
    keywords: ['ghr_'],
    filter: TOKEN_FILTER,
  },
  {
    id: 'gitlab-pat',
    description: 'GitLab personal access token',
    severity: 'critical',
    pattern: /\b(?<secret>glpat-[\w-]{20,300}(?:\.[0-9a-z]{9})?)(?![\w-])/,
    keywords: ['glpat-'],
    filter: TOKEN_FILTER,
  },
  {
    id: 'gitlab-token',
    description: 'GitLab deploy, runner or pipeline trigger token',
    severity: 'high',
    pattern: /\b(?<secret>(?:gldt|glrt|glcbt|glimt|glft|glsoat|gloas)-[\w-]{20,300}|glptt-[0-9a-f]{40}|GR1348941[\w-]{20})(?![\w-])/,
    keywords: ['gldt-', 'glrt-', 'glcbt-', 'glimt-', 'glft-', 'glsoat-', 'gloas-', 'glptt-', 'gr1348941'],
    filter: TOKEN_FILTER,
  },
  {
    id: 'slack-token',
    description: 'Slack bot, user, app or configuration token',
    severity: 'high',
    pattern: /\b(?<secret>xox[baprseo]-(?:\d+-)*[0-9A-Za-z][0-9A-Za-z-]{7,}|xoxe\.xox[bp]-\d-[A-Z0-9]{100,}|xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+)(?![\w-])/,
    keywords: ['xoxb-', 'xoxa-', 'xoxp-', 'xoxr-', 'xoxs-', 'xoxe', 'xoxo-', 'xapp-'],
    filter: { ...TOKEN_FILTER, minEntropy: 2, rejectPlaceholders: true },
  },
  {
    id: 'slack-webhook-url',
    description: 'Slack incoming webhook URL',
    severity: 'high',
    pattern: /(?:https?:\/\/)?hooks\.slack\.com\/(?:services|workflows|triggers)\/(?<secret>[A-Za-z0-9+/]{43,56})/,
    keywords: ['hooks.slack.com'],
    filter: TOKEN_FILTER,
  },
  {
    id: 'stripe-live-key',
    description: 'Stripe live secret or restricted key',
    severity: 'critical',
    pattern: /\b(?<secret>(?:sk|rk)_(?:live|prod)_[a-zA-Z0-9]{10,99})\b/,
    keywords: ['sk_live_', 'rk_live_', 'sk_prod_', 'rk_prod_'],
    filter: { ...TOKEN_FILTER, minEntropy: 2 },
  },
  {
    id: 'stripe-test-key',
    description: 'Stripe test-mode secret or restricted key',
    severity: 'low',
    pattern: /\b(?<secret>(?:sk|rk)_test_[a-zA-Z0-9]{10,99})\b/,
    keywords: ['sk_test_', 'rk_test_'],
    filter: { ...TOKEN_FILTER, minEntropy: 2 },
  },
  {
    id: 'gcp-api-key',
    description: 'Google API key',
    severity: 'high',
    pattern: /\b(?<secret>AIza[\w-]{35})(?![\w-])/,
    keywords: ['aiza'],
    filter: { ...TOKEN_FILTER, minEntropy: 4 },
  },
  {
    id: 'anthropic-api-key',
    description: 'Anthropic API key',
    severity: 'critical',
    pattern: /\b(?<secret>sk-ant-(?:api|admin|oat|ort)\d\d-[\w-]{32,200})(?![\w-])/,
    keywords: ['sk-ant-'],
    filter: { ...TOKEN_FILTER, minEntropy: 3.5 },
  },
  {
    id: 'openai-api-key',
    description: 'OpenAI API key',
    severity: 'critical',
    pattern: /\b(?<secret>sk-(?:proj|svcacct|admin)-[\w-]{40,300}|sk-[a-zA-Z0-9]{20}T3BlbkFJ[a-zA-Z0-9]{20})(?![\w-])/,
    keywords: ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 't3blbkfj'],
    filter: { ...TOKEN_FILTER, minEntropy: 3.5 },
  },
  {
    id: 'npm-access-token',
    description: 'npm access token',
    severity: 'high',
    pattern: /\b(?<secret>npm_[a-z0-9]{36})(?![a-z0-9])/i,
    keywords: ['npm_'],
    filter: { ...TOKEN_FILTER, minEntropy: 2 },
  },
  {
    id: 'pypi-upload-token',
    description: 'PyPI upload token',
    severity: 'high',
    pattern: /\b(?<secret>pypi-AgEIcHlwaS5vcmc[\w-]{50,1000})(?![\w-])/,
    keywords: ['pypi-ageichlwas5vcmc'],
  },
  {
    id: 'sendgrid-api-token',
    description: 'SendGrid API key',
    severity: 'high',
    pattern: /\b(?<secret>SG\.[A-Za-z0-9=_.-]{66})(?![\w.=-])/,
    keywords: ['sg.'],
    filter: TOKEN_FILTER,
  },
  {
    id: 'twilio-api-key',
    description: 'Twilio API key',
    severity: 'high',
    pattern: /\b(?<secret>SK[0-9a-fA-F]{32})\b/,
    keywords: ['sk'],
    filter: { minEntropy: 3, minCharClasses: 2 },
  },
  {
    id: 'huggingface-access-token',
    description: 'Hugging Face access token',
    severity: 'high',
    pattern: /\b(?<secret>hf_[a-zA-Z]{34})\b/,
    keywords: ['hf_'],
    filter: { ...TOKEN_FILTER, minEntropy: 3.5, minCharClasses: 2 },
  },
  {
    id: 'digitalocean-token',
    description: 'DigitalOcean personal access, OAuth or refresh token',
    severity: 'high',
    pattern: /\b(?<secret>do[por]_v1_[a-f0-9]{64})\b/,
    keywords: ['dop_v1_', 'doo_v1_', 'dor_v1_'],
    filter: TOKEN_FILTER,
  },
  {
    id: 'shopify-token',
    description: 'Shopify access token or shared secret',
    severity: 'high',
    pattern: /\b(?<secret>shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})\b/,
    keywords: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    filter: TOKEN_FILTER,
  },
  {
    id: 'databricks-api-token',
    description: 'Databricks API token',
    severity: 'high',
    pattern: /\b(?<secret>dapi[a-f0-9]{32}(?:-\d)?)\b/,
    keywords: ['dapi'],
    filter: { minEntropy: 3, minCharClasses: 2 },
  },
  {
    id: 'hashicorp-vault-token',
    description: 'HashiCorp Vault service or batch token',
    severity: 'high',
    pattern: /\b(?<secret>hv[sb]\.[\w-]{90,300})(?![\w-])/,
    keywords: ['hvs.', 'hvb.'],
    filter: TOKEN_FILTER,
  },
  {
    id: 'azure-storage-account-key',
    description: 'Azure storage account key in a connection string',
    severity: 'critical',
    pattern: /AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)/,
    keywords: ['accountkey='],
    filter: TOKEN_FILTER,
  },
  {
    id: 'age-secret-key',
    description: 'age encryption secret key',
    severity: 'critical',
    pattern: /(?<secret>AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})/,
    keywords: ['age-secret-key-1'],
  },
  {
    id: 'postman-api-token',
    description: 'Postman API key',
    severity: 'high',
    pattern: /\b(?<secret>PMAK-[a-f0-9]{24}-[a-f0-9]{34})\b/,
    keywords: ['pmak-'],
    filter: TOKEN_FILTER,
  },
  {
    id: 'grafana-token',
    description: 'Grafana cloud API token or service account token',
    severity: 'high',
    pattern: /\b(?<secret>glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})(?![\w+/=-])/,
    keywords: ['glc_', 'glsa_'],
    filter: TOKEN_FILTER,
  },
  {
    id: 'telegram-bot-token',
    description: 'Telegram bot API token',
    severity: 'high',
    pattern: /\b(?<secret>\d{5,16}:A[\w-]{34})(?![\w-])/,
    keywords: [':a'],
    filter: TOKEN_FILTER,
  },
  {
    id: 'jwt',
    description: 'JSON Web Token',
    severity: 'medium',
    pattern: /\b(?<secret>ey[A-Za-z0-9_-]{17,}\.ey[A-Za-z0-9/\\_-]{17,}\.(?:[A-Za-z0-9/\\_-]{10,}={0,2})?)/,
    keywords: ['ey'],
    filter: { minEntropy: 3 },
  },
  {
    id: 'bearer-token',
    description: 'Bearer token written into an Authorization header',
    severity: 'high',
    pattern: /\bBearer[ \t]+(?<secret>[A-Za-z0-9._~+/-]{20,500}=*)(?![A-Za-z0-9._~+/=-])/,
    keywords: ['bearer'],
    // A lone `eyJ…` segment is an encoded JSON header, not a credential (whole JWTs have their own rule).
    filter: { minEntropy: 3.5, rejectPlaceholders: true, rejectIdentifiers: true, allow: [/^eyJ[\w-]*={0,2}$/] },
  },
  {
    id: 'connection-string-credentials',
    description: 'Credentials embedded in a connection string or URL',
    severity: 'high',
    pattern:
      /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|jdbc:[a-z]+|clickhouse|cockroachdb|neo4j(?:\+s)?|bolt|s?ftp|smtps?|ldaps?|https?):\/\/(?<user>[^\s:/@'"\x60]{1,100}):(?<secret>[^\s@/'"\x60]{1,200})@[\w.-]+/,
    keywords: ['://'],
    filter: { minLength: 3, rejectPlaceholders: true },
  },
  {
    id: 'password-assignment',
    description: 'Hard-coded password assigned in code or configuration',
    severity: 'high',
    pattern: new RegExp(`${KEY_START}${key(PASSWORD_NAME)}${ASSIGN}${QUOTED_VALUE}`, 'i'),
    keywords: ['pass', 'pwd'],
    filter: PASSWORD_FILTER,
  },
  {
    id: 'password-in-config',
    description: 'Password in a configuration or environment file',
    severity: 'high',
    pattern: new RegExp(`${CONFIG_LINE_START}${key(PASSWORD_NAME)}["']?[ \\t]*[=:][ \\t]*${CONFIG_VALUE}`, 'im'),
    keywords: ['pass', 'pwd'],
    paths: CONFIG_FILE_PATH,
    filter: PASSWORD_FILTER,
  },
  {
    id: 'secret-assignment',
    description: 'Hard-coded secret, token or API key assigned in code or configuration',
    severity: 'high',
    pattern: new RegExp(`${KEY_START}${key(SECRET_NAME)}${ASSIGN}${QUOTED_VALUE}`, 'i'),
    keywords: ['secret', 'token', 'key', 'credential'],
    filter: SECRET_FILTER,
  },
  {
    id: 'secret-in-config',
    description: 'Secret, token or API key in a configuration or environment file',
    severity: 'high',
    pattern: new RegExp(`${CONFIG_LINE_START}${key(SECRET_NAME)}["']?[ \\t]*[=:][ \\t]*${CONFIG_VALUE}`, 'im'),
    keywords: ['secret', 'token', 'key', 'credential'],
    paths: CONFIG_FILE_PATH,
    filter: SECRET_FILTER,
  },
  {
    id: 'kubernetes-secret-yaml',
    description: 'Value in the data of a Kubernetes Secret manifest',
    severity: 'high',
    pattern:
      /(?<=^[ \t]*(?:data|stringData):[ \t]*\r?\n(?:[ \t]+[^\n]*\r?\n)*)^[ \t]+(?<key>[\w.-]+):[ \t]*["']?(?<secret>[^\s"'#]{6,})["']?[ \t]*\r?$/m,
    keywords: ['data:'],
    paths: /\.ya?ml$/i,
    requires: /^kind:[ \t]*["']?Secret\b/m,
    filter: { rejectPlaceholders: true, minEntropy: 2 },
  },
  {
    id: 'vendor-credential',
    description: 'Credential assigned to a name of a known service',
    severity: 'high',
    pattern: new RegExp(
      String.raw`(?<![\w.-])(?<key>[\w.-]{0,50}?(?:${VENDOR_NAMES})[ \t\w.-]{0,20}?)["' \t]{0,3}(?:=|:{1,3}=|\|\||:|=>|\?=)[\x60'" \t=]{0,5}(?<secret>[\w.=+/:-]{10,150})(?=[\x60'"\s;,)]|\\[nr]|$)`,
      'im',
    ),
    keywords: VENDOR_KEYWORDS,
    filter: { ...GENERIC_FILTER, minEntropy: 3, rejectIdentifiers: true, allow: [HOST_NAME, URL_WITHOUT_CREDENTIALS] },
  },
  {
    id: 'generic-api-key',
    description: 'High-entropy value assigned to a secret-like name',
    severity: 'medium',
    pattern:
      /(?<![\w.-])(?<key>[\w.-]{0,50}?(?:access|auth|api|credential|creds|key|passw(?:or)?d|secret|token)[ \t\w.-]{0,20}?)["' \t]{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)[\x60'" \t=]{0,5}(?<secret>[\w.=-]{10,150}|[a-z0-9][a-z0-9+/]{11,}={0,3})(?=[\x60'"\s;]|\\[nr]|$)/im,
    keywords: ['access', 'auth', 'api', 'credential', 'creds', 'key', 'passwd', 'password', 'secret', 'token'],
    filter: GENERIC_FILTER,
  },
  {
    id: 'high-entropy-string',
    description: 'Long random-looking string',
    severity: 'info',
    pattern: /(?<![A-Za-z0-9+/=_.-])(?<secret>[A-Za-z0-9+/_-]{32,}={0,2})(?![A-Za-z0-9+/=_.-])/,
    filter: { minEntropyRatio: 0.85, minCharClasses: 3 },
    redactOnly: true,
  },
];

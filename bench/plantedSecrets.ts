import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seededRandom } from './seededRandom.js';

/** One generated file: a planted secret (a tool should report it) or a decoy (it should not). */
export interface PlantedFile {
  readonly path: string;
  readonly kind: string;
  readonly planted: boolean;
}

/** The generated corpus: where it is and what each file holds. */
export interface PlantedCorpus {
  readonly dir: string;
  readonly files: readonly PlantedFile[];
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const HEX = '0123456789abcdef';
const B64 = ALNUM + '+/';
const WORD = ALNUM + '_-';

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

type Template = readonly [kind: string, file: string, body: (r: (alphabet: string, n: number) => string) => string];

/** Real-shaped credentials of many vendors, each in the kind of file it leaks from. */
const PLANTED: readonly Template[] = [
  ['aws-access-key-id', 'src/aws/client.ts', (r) => `export const accessKeyId = 'AKIA${r(UPPER + '234567', 16)}';\n`],
  ['aws-secret-access-key', 'deploy/prod.env', (r) => `AWS_REGION=eu-west-1\nAWS_SECRET_ACCESS_KEY=${r(B64, 40)}\n`],
  ['github-pat', 'scripts/release.sh', (r) => `#!/bin/sh\nexport GITHUB_TOKEN=ghp_${r(ALNUM, 36)}\ngh release create "$1"\n`],
  ['github-fine-grained-pat', 'src/github/api.py', (r) => `TOKEN = "github_pat_${r(ALNUM, 22)}_${r(ALNUM, 59)}"\n`],
  ['gitlab-pat', 'ci/mirror.yml', (r) => `mirror:\n  script:\n    - git push https://oauth2:glpat-${r(ALNUM, 20)}@gitlab.com/acme/app.git\n`],
  ['slack-bot-token', 'src/notify/slack.js', (r) => `const client = new WebClient('xoxb-${r(DIGITS, 11)}-${r(DIGITS, 13)}-${r(ALNUM, 24)}');\n`],
  ['slack-webhook', 'src/notify/webhook.go', (r) => `package notify\n\nconst hook = "https://hooks.slack.com/services/T${r(UPPER + DIGITS, 8)}/B${r(UPPER + DIGITS, 8)}/${r(ALNUM, 24)}"\n`],
  ['stripe-live-key', 'src/billing/stripe.rb', (r) => `Stripe.api_key = "sk_live_${r(ALNUM, 24)}"\n`],
  ['gcp-api-key', 'src/maps/config.java', (r) => `class MapsConfig {\n  static final String KEY = "AIza${r(WORD, 35)}";\n}\n`],
  ['anthropic-api-key', 'src/ai/anthropic.ts', (r) => `const anthropic = new Anthropic({ apiKey: 'sk-ant-api03-${r(WORD, 93)}AA' });\n`],
  ['openai-api-key', 'src/ai/openai.py', (r) => `client = OpenAI(api_key="sk-proj-${r(WORD, 74)}T3BlbkFJ${r(WORD, 74)}")\n`],
  ['npm-access-token', 'config/npmrc.ini', (r) => `//registry.npmjs.org/:_authToken=npm_${r(LOWER + DIGITS, 36)}\n`],
  ['sendgrid-api-token', 'src/mail/send.php', (r) => `<?php\n$sendgrid = new \\SendGrid('SG.${r(WORD, 22)}.${r(WORD, 43)}');\n`],
  ['twilio-api-key', 'src/sms/twilio.cs', (r) => `var apiKeySid = "SK${r(HEX, 32)}";\n`],
  ['huggingface-token', 'src/ml/download.py', (r) => `login(token="hf_${r(UPPER + LOWER, 34)}")\n`],
  ['digitalocean-token', 'infra/main.tf', (r) => `provider "digitalocean" {\n  token = "dop_v1_${r(HEX, 64)}"\n}\n`],
  ['shopify-token', 'src/shop/admin.ts', (r) => `const shopifyToken = 'shpat_${r(HEX, 32)}';\n`],
  ['databricks-token', 'notebooks/etl.py', (r) => `DATABRICKS_TOKEN = "dapi${r(HEX, 32)}"\n`],
  ['postman-api-token', 'tools/postman.json', (r) => `{ "postmanApiKey": "PMAK-${r(HEX, 24)}-${r(HEX, 34)}" }\n`],
  ['vault-token', 'deploy/vault.sh', (r) => `export VAULT_TOKEN=hvs.${r(WORD, 95)}\n`],
  ['grafana-service-account', 'monitoring/grafana.yaml', (r) => `grafana:\n  token: glsa_${r(ALNUM, 32)}_${r(HEX, 8)}\n`],
  ['telegram-bot-token', 'src/bot/telegram.js', (r) => `const TELEGRAM_BOT_TOKEN = '${r(DIGITS, 10)}:AA${r(WORD, 33)}';\n`],
  ['azure-storage-key', 'config/storage.properties', (r) => `storage.connection=DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey=${r(B64, 86)}==;EndpointSuffix=core.windows.net\n`],
  ['age-secret-key', 'secrets/age.txt', (r) => `# created: 2025-01-01\nAGE-SECRET-KEY-1${r('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58)}\n`],
  ['private-key', 'deploy/id_rsa.pem', (r) => `-----BEGIN RSA PRIVATE KEY-----\n${Array.from({ length: 12 }, () => r(B64, 64)).join('\n')}\n-----END RSA PRIVATE KEY-----\n`],
  ['jwt', 'src/auth/session.ts', (r) => `const serviceJwt = '${base64url('{"alg":"HS256","typ":"JWT"}')}.${base64url(`{"sub":"svc-${r(DIGITS, 6)}","role":"admin","iat":1735689600}`)}.${r(WORD, 43)}';\n`],
  ['connection-string', 'src/db/pool.ts', (r) => `const pool = new Pool({ connectionString: 'postgres://app_admin:${r(ALNUM, 18)}@db.prod.acme-corp.net:5432/orders' });\n`],
  ['password-assignment', 'src/db/mysql.py', (r) => `db_password = "${r(ALNUM, 14)}!${r(DIGITS, 3)}"\n`],
  ['generic-api-key', 'src/partners/weather.ts', (r) => `const weatherApiKey = '${r(ALNUM, 32)}';\n`],
  ['bearer-token', 'scripts/smoke.sh', (r) => `curl -H "Authorization: Bearer ${r(ALNUM, 40)}" https://api.acme-corp.net/health\n`],
];

/** Near misses: look like secrets to a careless rule, are not. */
const DECOYS: readonly Template[] = [
  ['aws-docs-example', 'src/aws/docs.ts', () => `// From the AWS docs: the example key is AKIAIOSFODNN7EXAMPLE\nexport const exampleKeyId = 'AKIAIOSFODNN7EXAMPLE';\n`],
  ['placeholder-token', 'src/github/placeholder.ts', () => `const token = process.env.GITHUB_TOKEN ?? 'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx';\n`],
  ['env-reference', 'src/db/env.ts', () => `const password = process.env.DB_PASSWORD;\nconst apiKey = config.get('apiKey');\n`],
  ['template-placeholder', 'config/app.yaml', () => `api_key: <YOUR_API_KEY>\npassword: \${DB_PASSWORD}\nsecret: "{{ .Values.secret }}"\n`],
  ['ci-secret-reference', 'ci/deploy.yml', () => `env:\n  DEPLOY_KEY: \${{ secrets.DEPLOY_KEY }}\n  NPM_TOKEN: \${{ secrets.NPM_TOKEN }}\n`],
  ['integrity-hash', 'src/deps/manifest.json', (r) => `{ "name": "left-pad", "integrity": "sha512-${r(B64, 86)}==" }\n`],
  ['git-commit-sha', 'src/build/version.ts', (r) => `export const commit = '${r(HEX, 40)}';\nexport const tree = '${r(HEX, 40)}';\n`],
  ['uuid', 'src/tenants/ids.ts', () => `export const tenantId = '123e4567-e89b-12d3-a456-426614174000';\n`],
  ['public-key', 'deploy/id_rsa.pub.pem', (r) => `-----BEGIN PUBLIC KEY-----\n${Array.from({ length: 6 }, () => r(B64, 64)).join('\n')}\n-----END PUBLIC KEY-----\n`],
  ['stripe-placeholder', 'src/billing/example.rb', () => `# Stripe.api_key = "sk_live_XXXXXXXXXXXXXXXXXXXXXXXX"\nStripe.api_key = ENV.fetch("STRIPE_KEY")\n`],
  ['password-prompt', 'src/auth/login.py', () => `password = getpass.getpass("Password: ")\npassword_field = "password"\n`],
  ['token-function', 'src/auth/tokens.ts', () => `const token = await getAccessToken();\nconst secretName = 'prod/api/key';\n`],
  ['css-hash-class', 'src/ui/styles.ts', () => `export const className = 'css-1q2w3e4r5t6y7u8i9o0pazsxdcfvgbhnjmk';\n`],
  ['route-path', 'src/api/routes.ts', () => `export const ROUTE = '/api/v1/users/profile/settings/notifications/email/preferences';\n`],
];

/**
 * Writes the planted-secrets corpus: one file per planted secret (30 kinds)
 * and one per decoy (14 near misses), under a fresh temporary directory,
 * from a fixed seed so two runs compare the same text.
 *
 * @example const corpus = writePlantedCorpus(); corpus.files.filter((f) => f.planted).length
 */
export function writePlantedCorpus(seed = 20_260_611): PlantedCorpus {
  const random = seededRandom(seed);
  const r = (alphabet: string, n: number): string => Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  const dir = path.join(tmpdir(), 'hw-bench-planted');
  rmSync(dir, { recursive: true, force: true });
  const files: PlantedFile[] = [];
  for (const [list, planted] of [[PLANTED, true], [DECOYS, false]] as const) {
    for (const [kind, file, body] of list) {
      mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
      writeFileSync(path.join(dir, file), body(r));
      files.push({ path: file, kind, planted });
    }
  }
  return { dir, files };
}

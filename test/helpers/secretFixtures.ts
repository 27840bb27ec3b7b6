import { seededRandom } from '../../bench/seededRandom.js';
/**
 * Builders of realistic fake secrets. Values are generated from a seeded
 * generator so they are random-looking (high entropy, like real tokens) but
 * identical on every run, and never real credentials.
 */

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const HEX = '0123456789abcdef';
const BASE64 = `${ALNUM}+/`;
const URLSAFE = `${ALNUM}_-`;
const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789';

export const CHARSETS = { ALNUM, UPPER_BASE32, HEX, BASE64, URLSAFE, LOWER_ALNUM: LOWER, LETTERS: ALNUM.slice(0, 52) } as const;

/** A seeded pseudo-random generator (mulberry32): same seed, same sequence; one implementation with the bench's corpora. */
export { seededRandom };

/** `length` characters drawn from `charset`, determined by `seed`. */
export function fakeToken(charset: string, length: number, seed: number): string {
  const random = seededRandom(seed);
  let out = '';
  for (let i = 0; i < length; i++) out += charset[Math.floor(random() * charset.length)];
  return out;
}

/** A private key block with a random base64 body of `lines` 64-character lines. */
export function fakePrivateKey(kind = 'RSA', lines = 6, seed = 7): string {
  const body: string[] = [];
  for (let i = 0; i < lines; i++) body.push(fakeToken(BASE64, 64, seed + i));
  return `-----BEGIN ${kind} PRIVATE KEY-----\n${body.join('\n')}\n-----END ${kind} PRIVATE KEY-----\n`;
}

/** A JWT-shaped token: base64url header and claims that decode to JSON, random signature. */
export function fakeJwt(seed = 11): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: fakeToken(ALNUM, 12, seed), iat: 1700000000 })}.${fakeToken(URLSAFE, 43, seed + 1)}`;
}

/** One rule's test case: a file whose line holds a secret, and near misses that must stay quiet. */
export interface SecretRuleCase {
  readonly ruleId: string;
  readonly file: string;
  /** Text whose only secret is `secret`. */
  readonly positive: string;
  /** The secret value inside `positive`. */
  readonly secret: string;
  /** Near misses for the same rule: placeholders, examples, low entropy. */
  readonly negatives: readonly string[];
}

/** A positive and near-miss negatives for every reported secret rule. */
export function secretRuleCases(): SecretRuleCase[] {
  const awsId = `AKIA${fakeToken(UPPER_BASE32, 16, 1)}`;
  const awsSecret = fakeToken(BASE64, 40, 2);
  const ghp = `ghp_${fakeToken(ALNUM, 36, 3)}`;
  const fineGrained = `github_pat_${fakeToken(ALNUM, 22, 4)}_${fakeToken(ALNUM, 59, 5)}`;
  const gho = `gho_${fakeToken(ALNUM, 36, 6)}`;
  const ghs = `ghs_${fakeToken(ALNUM, 36, 8)}`;
  const ghr = `ghr_${fakeToken(ALNUM, 36, 9)}`;
  const glpat = `glpat-${fakeToken(URLSAFE, 20, 10)}`;
  const gldt = `gldt-${fakeToken(URLSAFE, 20, 12)}`;
  const slackBot = `xoxb-${fakeToken('0123456789', 12, 13)}-${fakeToken('0123456789', 13, 14)}-${fakeToken(ALNUM, 24, 15)}`;
  const webhookPath = `T${fakeToken('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 8, 16)}/B${fakeToken('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 10, 17)}/${fakeToken(ALNUM, 24, 18)}`;
  const stripeLive = `sk_live_${fakeToken(ALNUM, 24, 19)}`;
  const stripeTest = `sk_test_${fakeToken(ALNUM, 24, 20)}`;
  const google = `AIza${fakeToken(URLSAFE, 35, 21)}`;
  const anthropic = `sk-ant-api03-${fakeToken(URLSAFE, 93, 22)}AA`;
  const openai = `sk-proj-${fakeToken(URLSAFE, 58, 23)}T3BlbkFJ${fakeToken(URLSAFE, 58, 24)}`;
  const npm = `npm_${fakeToken(ALNUM, 36, 25)}`;
  const pypi = `pypi-AgEIcHlwaS5vcmc${fakeToken(URLSAFE, 60, 26)}`;
  const sendgrid = `SG.${fakeToken(URLSAFE, 22, 27)}.${fakeToken(URLSAFE, 43, 28)}`;
  const twilio = `SK${fakeToken(HEX, 32, 29)}`;
  const hf = `hf_${fakeToken(ALNUM.slice(0, 52), 34, 30)}`;
  const digitalocean = `dop_v1_${fakeToken(HEX, 64, 31)}`;
  const shopify = `shpat_${fakeToken(HEX, 32, 32)}`;
  const databricks = `dapi${fakeToken(HEX, 32, 33)}`;
  const vault = `hvs.${fakeToken(URLSAFE, 95, 34)}`;
  const azure = `${fakeToken(BASE64, 86, 35)}==`;
  const age = `AGE-SECRET-KEY-1${fakeToken('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58, 36)}`;
  const postman = `PMAK-${fakeToken(HEX, 24, 37)}-${fakeToken(HEX, 34, 38)}`;
  const grafana = `glsa_${fakeToken(ALNUM, 32, 39)}_${fakeToken(HEX, 8, 40)}`;
  const telegram = `${fakeToken('0123456789', 9, 41)}:AA${fakeToken(URLSAFE, 33, 42)}`;
  const jwt = fakeJwt();
  const bearer = fakeToken(URLSAFE, 40, 48);
  const privateKeyBody = fakePrivateKey();
  const dbPassword = `Q7v${fakeToken(ALNUM, 9, 43)}`;
  const plainPassword = 'hunter2!Xy';
  const secretValue = fakeToken(ALNUM, 32, 44);
  const genericValue = fakeToken(LOWER, 24, 45);
  const vendorValue = fakeToken(LOWER, 30, 46);
  const kubeValue = Buffer.from(`pw-${fakeToken(ALNUM, 16, 47)}`).toString('base64');
  return [
    { ruleId: 'private-key', file: 'keys/server.txt', positive: `const key = \`\n${privateKeyBody}\`;\n`, secret: privateKeyBody.split('\n')[1]!, negatives: ["if (pem.startsWith('-----BEGIN RSA PRIVATE KEY-----')) return 'rsa';\n", '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----\n'] },
    { ruleId: 'aws-access-key-id', file: 'src/aws.ts', positive: `const id = '${awsId}';\n`, secret: awsId, negatives: ["const id = 'AKIAIOSFODNN7EXAMPLE';\n", "const id = 'AKIAAAAAAAAAAAAAAAAA';\n"] },
    { ruleId: 'aws-secret-access-key', file: 'src/aws.py', positive: `aws_secret_access_key = "${awsSecret}"\n`, secret: awsSecret, negatives: ['aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"\n', 'aws_secret_access_key = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"\n'] },
    { ruleId: 'github-pat', file: 'scripts/release.sh', positive: `curl -H "Authorization: token ${ghp}" https://api.github.com\n`, secret: ghp, negatives: ['GITHUB=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n', 'const prefix = "ghp_"; // token prefix\n'] },
    { ruleId: 'github-fine-grained-pat', file: 'ci/config.ts', positive: `export const token = '${fineGrained}';\n`, secret: fineGrained, negatives: [`const t = 'github_pat_${'x'.repeat(82)}';\n`] },
    { ruleId: 'github-oauth', file: 'src/oauth.ts', positive: `const oauth = "${gho}";\n`, secret: gho, negatives: [`const oauth = "gho_${'0'.repeat(36)}";\n`] },
    { ruleId: 'github-app-token', file: 'src/app.ts', positive: `const installation = "${ghs}";\n`, secret: ghs, negatives: [`const installation = "ghs_${'ab'.repeat(18)}";\n`] },
    { ruleId: 'github-refresh-token', file: 'src/refresh.ts', positive: `const refresh = "${ghr}";\n`, secret: ghr, negatives: [`const refresh = "ghr_${'x'.repeat(36)}";\n`] },
    { ruleId: 'gitlab-pat', file: 'ci/gitlab.yml', positive: `variables:\n  GL: ${glpat}\n`, secret: glpat, negatives: ['variables:\n  GL: glpat-xxxxxxxxxxxxxxxxxxxx\n'] },
    { ruleId: 'gitlab-token', file: 'ci/deploy.sh', positive: `DEPLOY=${gldt}\n`, secret: gldt, negatives: ['DEPLOY=gldt-XXXXXXXXXXXXXXXXXXXX\n'] },
    { ruleId: 'slack-token', file: 'bot/slack.js', positive: `const slack = new WebClient('${slackBot}');\n`, secret: slackBot, negatives: ["const slack = new WebClient('xoxb-your-bot-token-here');\n", "const slack = new WebClient('xoxb-0000000000-0000000000');\n"] },
    { ruleId: 'slack-webhook-url', file: 'bot/notify.py', positive: `URL = "https://hooks.slack.com/services/${webhookPath}"\n`, secret: webhookPath, negatives: ['URL = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"\n'] },
    { ruleId: 'stripe-live-key', file: 'pay/stripe.rb', positive: `Stripe.api_key = '${stripeLive}'\n`, secret: stripeLive, negatives: ["Stripe.api_key = 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx'\n", "Stripe.api_key = ENV['STRIPE_KEY']\n"] },
    { ruleId: 'stripe-test-key', file: 'pay/stripe_test.rb', positive: `Stripe.api_key = '${stripeTest}'\n`, secret: stripeTest, negatives: ["Stripe.api_key = 'sk_test_0000000000000000'\n"] },
    { ruleId: 'gcp-api-key', file: 'web/maps.html', positive: `<script src="https://maps.googleapis.com/maps/api/js?key=${google}"></script>\n`, secret: google, negatives: [`<script src="https://maps.googleapis.com/maps/api/js?key=AIza${'x'.repeat(35)}"></script>\n`] },
    { ruleId: 'anthropic-api-key', file: 'agent/client.py', positive: `client = Anthropic(api_key="${anthropic}")\n`, secret: anthropic, negatives: ['client = Anthropic(api_key="sk-ant-api03-...")\n', 'client = Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])\n'] },
    { ruleId: 'openai-api-key', file: 'agent/openai.ts', positive: `const openai = new OpenAI({ apiKey: "${openai}" });\n`, secret: openai, negatives: ['const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });\n', 'const openai = new OpenAI({ apiKey: "sk-proj-your-key-here" });\n'] },
    { ruleId: 'npm-access-token', file: 'ci/publish.sh', positive: `npm config set //registry.npmjs.org/:_authToken ${npm}\n`, secret: npm, negatives: ['npm config set //registry.npmjs.org/:_authToken ${NPM_TOKEN}\n', `echo npm_${'0'.repeat(36)}\n`] },
    { ruleId: 'pypi-upload-token', file: 'ci/pypi.sh', positive: `twine upload -p ${pypi} dist/*\n`, secret: pypi, negatives: ['twine upload -p pypi-AgEIcHlwaS5vcmc dist/*\n'] },
    { ruleId: 'sendgrid-api-token', file: 'mail/send.js', positive: `sg.setApiKey('${sendgrid}');\n`, secret: sendgrid, negatives: ["sg.setApiKey(process.env.SENDGRID_API_KEY);\n"] },
    { ruleId: 'twilio-api-key', file: 'sms/send.py', positive: `client = Client("${twilio}", secret)\n`, secret: twilio, negatives: [`client = Client("SK${'0'.repeat(32)}", secret)\n`] },
    { ruleId: 'huggingface-access-token', file: 'ml/hub.py', positive: `login(token="${hf}")\n`, secret: hf, negatives: ['login(token="hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")\n'] },
    { ruleId: 'digitalocean-token', file: 'infra/do.tf', positive: `token = "${digitalocean}"\n`, secret: digitalocean, negatives: [`token = "dop_v1_${'0'.repeat(64)}"\n`] },
    { ruleId: 'shopify-token', file: 'shop/client.rb', positive: `ACCESS = "${shopify}"\n`, secret: shopify, negatives: [`ACCESS = "shpat_${'a'.repeat(32)}"\n`] },
    { ruleId: 'databricks-api-token', file: 'jobs/run.py', positive: `host_token = "${databricks}"\n`, secret: databricks, negatives: [`host_token = "dapi${'0'.repeat(32)}"\n`] },
    { ruleId: 'hashicorp-vault-token', file: 'ops/vault.sh', positive: `export VAULT_TOKEN=${vault}\n`, secret: vault, negatives: [`export VAULT_TOKEN=hvs.${'x'.repeat(95)}\n`] },
    { ruleId: 'azure-storage-account-key', file: 'app/storage.cs', positive: `var cs = "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${azure};EndpointSuffix=core.windows.net";\n`, secret: azure, negatives: ['var cs = "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=<account-key>;";\n'] },
    { ruleId: 'age-secret-key', file: 'ops/age.txt', positive: `${age}\n`, secret: age, negatives: ['AGE-SECRET-KEY-1...\n'] },
    { ruleId: 'postman-api-token', file: 'ci/postman.sh', positive: `newman run --postman-api-key ${postman}\n`, secret: postman, negatives: [`newman run --postman-api-key PMAK-${'0'.repeat(24)}-${'0'.repeat(34)}\n`] },
    { ruleId: 'grafana-token', file: 'ops/grafana.sh', positive: `curl -H "Authorization: Bearer ${grafana}" https://grafana\n`, secret: grafana, negatives: [`curl -H "Authorization: Bearer glsa_${'x'.repeat(32)}_${'0'.repeat(8)}" https://grafana\n`] },
    { ruleId: 'telegram-bot-token', file: 'bot/telegram.py', positive: `bot = Bot("${telegram}")\n`, secret: telegram, negatives: ['bot = Bot("123456789:AAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")\n'] },
    { ruleId: 'jwt', file: 'test/fixtures/request.http', positive: `Authorization: Bearer ${jwt}\n`, secret: jwt, negatives: ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9\n'] },
    { ruleId: 'bearer-token', file: 'src/client.ts', positive: `fetch(url, { headers: { Authorization: 'Bearer ${bearer}' } });\n`, secret: bearer, negatives: ['fetch(url, { headers: { Authorization: `Bearer ${token}` } });\n', "const header = 'Bearer <access-token>';\n", "const header = 'Bearer xxxxxxxxxxxxxxxxxxxxxxxx';\n"] },
    { ruleId: 'connection-string-credentials', file: 'src/db.ts', positive: `const url = "postgres://app:${dbPassword}@db.internal:5432/app";\n`, secret: dbPassword, negatives: ['const url = "postgres://postgres:postgres@localhost:5432/app";\n', 'const url = `postgres://app:${process.env.DB_PASSWORD}@db:5432/app`;\n', 'const url = "postgres://user:password@localhost/db";\n', 'const site = "https://example.com:8080/a@b";\n'] },
    { ruleId: 'password-assignment', file: 'src/settings.py', positive: `DATABASE_PASSWORD = "${plainPassword}"\n`, secret: plainPassword, negatives: ['DATABASE_PASSWORD = "changeme"\n', 'password = os.environ["DB_PASSWORD"]\n', 'password = ""\n', 'password = "${DB_PASSWORD}"\n', 'label = "Enter your password"\n', 'if password == "hunter2!Xy": pass\n', 'password_hash = "pbkdf2"\n', 'bypass = "true-value-x"\n'] },
    { ruleId: 'password-in-config', file: 'config/app.yml', positive: `database:\n  password: ${plainPassword}\n`, secret: plainPassword, negatives: ['database:\n  password: ${DB_PASSWORD}\n', 'database:\n  password: <your-password>\n', 'database:\n  password:\n', 'database:\n  password: xxxxxxxx\n'] },
    { ruleId: 'secret-assignment', file: 'src/auth.ts', positive: `const clientSecret = "${secretValue}";\n`, secret: secretValue, negatives: ["const clientSecret = process.env.CLIENT_SECRET;\n", 'const clientSecret = "<client-secret>";\n', 'const clientSecret = "my_client_name";\n', 'const clientSecret = "";\n'] },
    { ruleId: 'secret-in-config', file: 'config/.env.example', positive: `JWT_SECRET=${secretValue}\n`, secret: secretValue, negatives: ['JWT_SECRET=changeme\n', 'JWT_SECRET=\n', 'JWT_SECRET=your-jwt-secret\n', 'JWT_SECRET=${JWT_SECRET}\n'] },
    { ruleId: 'kubernetes-secret-yaml', file: 'k8s/secret.yaml', positive: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  pw: ${kubeValue}\n`, secret: kubeValue, negatives: [`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db\ndata:\n  pw: ${kubeValue}\n`, 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  pw: "{{ .Values.password }}"\n'] },
    { ruleId: 'vendor-credential', file: 'src/integrations.py', positive: `heroku = "${vendorValue}"\n`, secret: vendorValue, negatives: ['heroku = "my-heroku-app-name"\n', 'heroku_region = "eu"\n'] },
    { ruleId: 'generic-api-key', file: 'src/client.go', positive: `var apiKeyValue = "${genericValue}"\n`, secret: genericValue, negatives: ['var apiKeyValue = "internal-service-name"\n', 'var apiVersion = "2023-10-01-preview"\n', 'var primaryKey = "user_id_2"\n', 'var accessKeyId = "aaaa1111bbbb2222"\n'] },
  ];
}

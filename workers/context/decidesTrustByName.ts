/** Words whose presence in a path says the file decides who is trusted: authentication, recovery, permissions, secrets, policies. */
const TRUST_WORDS = ['auth', 'security', 'password', 'passwd', 'permission', 'role', 'acl', 'rbac', 'polic', 'secret', 'credential', 'cors', 'csp', 'session', 'jwt', 'oauth', 'saml', 'login', 'signin', 'mfa', '2fa', 'totp', 'captcha'];

/** Styles and images say nothing about trust, whatever they are called. */
const PRESENTATION = /\.(?:css|scss|sass|less|styl|svg)$/i;

const TRUST_WORD_START = new RegExp(`(?:^|[^a-z0-9])(?:${TRUST_WORDS.join('|')})`);

/**
 * True when a path's words (split on separators and camelCase) start with a
 * word of authentication, account recovery, permissions, secrets or policy,
 * and the file is not a style sheet: small files named so (a roles table,
 * security questions, a CORS or CSP policy) hold the rules an auditor checks
 * even when no line of theirs looks like code.
 *
 * @example decidesTrustByName('config/securityQuestions.yml') === true
 * @example decidesTrustByName('src/login/login.component.scss') === false
 */
export function decidesTrustByName(relativePath: string): boolean {
  if (PRESENTATION.test(relativePath)) return false;
  return TRUST_WORD_START.test(relativePath.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase());
}

import { maskSecretsIn } from '../findings/sarif/maskSecretsIn.js';
import { escapeHtml } from './escapeHtml.js';

/**
 * Every string the report embeds goes through here: masked by the secret rules
 * (a second line of defence: stored records are masked already) and escaped.
 * `file` lets the rules that depend on the file kind (.env, key files) apply.
 *
 * @example safeText('key AKIAIOSFODNN7REALKEY <b>') === 'key AKIA**************** &lt;b&gt;'
 */
export function safeText(text: string, file = ''): string {
  return escapeHtml(maskSecretsIn(text, file));
}

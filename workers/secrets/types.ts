import type { Finding } from '../run/types.js';

/** Checks a candidate value must pass before it counts as a secret. */
export interface ValueFilter {
  /** Shortest value that can be a secret. */
  readonly minLength?: number;
  /** Minimum Shannon entropy (bits per character) of the value. */
  readonly minEntropy?: number;
  /**
   * Minimum entropy relative to the most a value of its length can have
   * (log2 of min(length, 48)): random tokens score above 0.85, long
   * identifiers made of words around 0.7, whatever their length.
   */
  readonly minEntropyRatio?: number;
  /** Reject placeholders, examples, references (`${VAR}`, `process.env.X`, `changeme`, `xxxx`). */
  readonly rejectPlaceholders?: boolean;
  /** Require at least this many of: lowercase, uppercase, digit. */
  readonly minCharClasses?: number;
  /** Reject values made only of letters, `_`, `.`, `-` and spaces: identifiers and words (`Passwort`), as gitleaks does. */
  readonly rejectWordsOnly?: boolean;
  /**
   * Reject text written for people: words in any script (marks included) with
   * spaces or sentence punctuation and no digit or symbol, such as a translated
   * "Forgot your password?" label.
   */
  readonly rejectNaturalLanguage?: boolean;
  /** Reject values that read as code names or paths (`aws-cdk-lib/aws-iam.CfnAccessKey`, `IS3AccessPointRef`). */
  readonly rejectIdentifiers?: boolean;
  /** Reject values containing this many spaces or more (prose, not a credential). */
  readonly maxSpaces?: number;
  /** Values that are not secrets: public examples (AWS documentation keys), host names. */
  readonly allow?: readonly RegExp[];
  /** Reject values containing one of these lowercase words (identifiers, not random tokens). */
  readonly stopwords?: readonly string[];
  /** Reject matches whose `key` group names something that is not a secret (`key_id`, `public_key`). */
  readonly rejectKeys?: RegExp;
}

/**
 * One secret detector, as plain data. The regex carries a named group `secret`
 * holding the value (what gets masked or redacted); flags other than `g`/`d`
 * are kept, those two are added when the rule runs.
 */
export interface SecretRule {
  readonly id: string;
  readonly description: string;
  readonly severity: Finding['severity'];
  readonly pattern: RegExp;
  /** Lowercase strings of which at least one must occur in the text for the regex to run. */
  readonly keywords?: readonly string[];
  /** Only run on files whose repository-relative path matches. */
  readonly paths?: RegExp;
  /** Only run on texts where this also matches (a Kubernetes `kind: Secret`). */
  readonly requires?: RegExp;
  readonly filter?: ValueFilter;
  /** Used to keep values out of prompts, but too noisy to report as a finding. */
  readonly redactOnly?: boolean;
}

/** Where a rule matched: `start`/`end` delimit the secret value in the text. */
export interface SecretMatch {
  readonly rule: SecretRule;
  /** Offset of the whole match (the line a finding points at: a key's BEGIN line). */
  readonly matchStart: number;
  readonly start: number;
  readonly end: number;
  readonly value: string;
}

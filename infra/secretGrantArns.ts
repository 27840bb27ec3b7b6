/** A complete secret ARN ends with the hyphen and six random characters Secrets Manager appends to the name. */
const COMPLETE_SUFFIX = /-[A-Za-z0-9]{6}$/;

/** Where the stack is, for turning a secret name into an ARN (tokens in an environment-agnostic stack). */
export interface SecretScope {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/**
 * The IAM resource that matches a secret given as the config allows it: a complete ARN
 * as is; a name, or an ARN without the random suffix (what the console shows as the
 * name), with `-??????` for the six characters Secrets Manager appended. Granting the
 * name-based ARN alone matches no secret, and the task gets AccessDenied at run time.
 * A name is taken in the stack's account and region.
 *
 * Secrets Manager's own advice applies to the ambiguous case: a name that itself ends
 * in a hyphen and six letters or digits reads as a complete ARN; give its complete ARN.
 *
 * @example secretGrantArn('git-token', scope); // 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:git-token-??????'
 * @example secretGrantArn('arn:aws:secretsmanager:eu-west-1:123456789012:secret:git-token-AbCdEf', scope); // unchanged
 */
export function secretGrantArn(secret: string, scope: SecretScope): string {
  if (!secret.startsWith('arn:')) return `arn:${scope.partition}:secretsmanager:${scope.region}:${scope.account}:secret:${secret}-??????`;
  return COMPLETE_SUFFIX.test(secret) ? secret : `${secret}-??????`;
}

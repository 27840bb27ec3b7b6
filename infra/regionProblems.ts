import type { DeployConfig } from './deployConfig.js';

/** The region part of an ARN (`arn:PARTITION:SERVICE:REGION:...`), or undefined when it is not an ARN. */
function regionOfArn(arn: string | undefined): string | undefined {
  if (!arn?.startsWith('arn:')) return undefined;
  return arn.split(':')[3] || undefined;
}

/** An AWS region code: `eu-west-1`, `us-gov-west-1`, `ap-southeast-5`, `us-isob-east-1`. */
const REGION_CODE = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

/**
 * What the stack's region makes impossible, found at synth instead of at deploy or run time:
 * a region name that is not one, and resources CloudFormation or the services can only use
 * in the stack's own region (an alarm's SNS topic, the secrets' KMS key). Nothing to check in an
 * environment-agnostic synth (region unknown).
 *
 * @example regionProblems(deploy, 'eu-west-1'); // ['deploy.alarms.topicArn: the topic is in us-east-1 ...'] for a topic elsewhere
 */
export function regionProblems(deploy: DeployConfig, region: string | undefined): string[] {
  if (region === undefined) return [];
  if (!REGION_CODE.test(region)) {
    return [`region: "${region}" is not an AWS region code such as eu-west-1; set it with AWS_REGION, the profile's region or CDK_DEFAULT_REGION`];
  }
  const problems: string[] = [];
  const topicRegion = regionOfArn(deploy.alarms.topicArn);
  if (topicRegion && topicRegion !== region) {
    problems.push(`deploy.alarms.topicArn: the topic is in ${topicRegion} but the stack deploys to ${region}; CloudWatch alarms notify topics in their own region only: use a topic in ${region}`);
  }
  const keyRegion = regionOfArn(deploy.secretsKmsKeyArn);
  if (keyRegion && keyRegion !== region) {
    problems.push(`deploy.secretsKmsKeyArn: the key is in ${keyRegion} but the stack's secrets are read in ${region}; Secrets Manager decrypts with a key in the secret's region: use that key's ${region} ARN (or a multi-Region replica there)`);
  }
  return problems;
}

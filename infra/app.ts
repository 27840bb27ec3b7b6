import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { HeadlessWorkersError } from '../workers/errors.js';
import { readDeploymentInput } from './deployConfig.js';
import { HeadlessWorkersStack, REPO_ROOT } from './HeadlessWorkersStack.js';

// The CDK app: reads the configuration, builds the one stack, runs cdk-nag on every synth
// (the CLI synthesizes when this module ends).
const app = new App();
try {
  const input = readDeploymentInput({ context: (key) => app.node.tryGetContext(key), rootDir: REPO_ROOT });
  new HeadlessWorkersStack(app, input.deploy.stackName, {
    input,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
} catch (error) {
  // A configuration mistake is the user's to fix: print what is wrong, not a stack trace.
  if (!(error instanceof HeadlessWorkersError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}

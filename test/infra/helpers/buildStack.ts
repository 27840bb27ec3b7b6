import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parseDeployConfig, type DeploymentInput } from '../../../infra/deployConfig.js';
import { HeadlessWorkersStack, REPO_ROOT } from '../../../infra/HeadlessWorkersStack.js';
import { parseConfig, type ResolvedConfig } from '../../../workers/config/index.js';

/** The feature flags of cdk.json: tests build the same template `cdk synth` does. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  return cdkJson.context;
}

/** A config with one target, so the stack has something to analyse (and synth prints no warning). */
export const ONE_TARGET = { targets: [{ name: 'api', git: { url: 'https://github.com/example/api.git', branch: 'main' } }] };

export interface BuildOptions {
  /** The user's config file (without deploy). Default: ONE_TARGET. */
  readonly config?: Record<string, unknown>;
  /** The deploy section. Default: {}. */
  readonly deploy?: Record<string, unknown>;
  /** A resolved config to use as is (for a modified built-in catalog); `config` then only feeds HW_CONFIG. */
  readonly resolved?: ResolvedConfig;
  /** Bundle the dispatcher with esbuild (slow). Default: false. */
  readonly bundle?: boolean;
  /**
   * Run CDK's built-in CloudFormation validation on synth (slow: a WebAssembly
   * rule engine). Default: false; the `cdk synth` and cfn-lint tests check the
   * template itself.
   */
  readonly cloudFormationValidation?: boolean;
  /**
   * The stack's account and region, as `cdk synth`/`cdk deploy` give them from the
   * caller's credentials. Default: none (an environment-agnostic template).
   */
  readonly env?: { readonly account: string; readonly region: string };
}

/** An account and region such as the CDK CLI supplies. */
export const TEST_ENV = { account: '123456789012', region: 'eu-west-1' } as const;

export interface BuiltStack {
  readonly app: App;
  readonly stack: HeadlessWorkersStack;
  readonly input: DeploymentInput;
  /** Synthesizes on first use. */
  readonly template: () => Template;
  /** Removes the cloud assembly directory. */
  readonly dispose: () => void;
}

/**
 * Builds the stack from a config and deploy section the way app.ts does, with
 * cdk.json's feature flags; bundling is skipped unless asked for.
 *
 * @example
 * const { template } = buildStack({ deploy: { auth: { mode: 'bedrock' } } });
 */
export function buildStack(options: BuildOptions = {}): BuiltStack {
  const runtimeConfig = options.config ?? ONE_TARGET;
  const input: DeploymentInput = {
    config: options.resolved ?? parseConfig(runtimeConfig),
    deploy: parseDeployConfig(options.deploy ?? {}),
    runtimeConfig,
  };
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'hw-infra-test-'));
  const app = new App({
    outdir,
    builtinCloudFormationValidation: options.cloudFormationValidation ?? false,
    context: { ...cdkJsonContext(), ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) },
  });
  const stack = new HeadlessWorkersStack(app, input.deploy.stackName, { input, ...(options.env ? { env: options.env } : {}) });
  let template: Template | undefined;
  return {
    app,
    stack,
    input,
    template: () => (template ??= Template.fromStack(stack)),
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** Resources of one type in a template, by logical id. */
export function resourcesOf(template: Template, type: string): Record<string, { Properties: Record<string, any> }> {
  return template.findResources(type) as Record<string, { Properties: Record<string, any> }>;
}

/** The logical id of a construct's CloudFormation resource. */
export function logicalIdOf(stack: HeadlessWorkersStack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as Parameters<HeadlessWorkersStack['getLogicalId']>[0]);
}

/**
 * Renders a CloudFormation value as text with placeholders: `{Ref: X}` → `${X}`,
 * `{Fn::GetAtt: [X, A]}` → `${X.A}`, Fn::Join concatenated, so a JSON
 * environment value can be parsed and compared.
 */
export function renderValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const record = value as Record<string, any>;
  if (record?.Ref) return `\${${record.Ref}}`;
  if (record?.['Fn::GetAtt']) return `\${${record['Fn::GetAtt'].join('.')}}`;
  if (record?.['Fn::Join']) return (record['Fn::Join'][1] as unknown[]).map(renderValue).join(record['Fn::Join'][0]);
  if (record?.['Fn::Sub']) return String(record['Fn::Sub']);
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

/** The environment of the first container of a task definition, rendered. */
export function containerEnvironment(taskDefinition: { Properties: Record<string, any> }): Record<string, string> {
  const env = taskDefinition.Properties.ContainerDefinitions[0].Environment as { Name: string; Value: unknown }[];
  return Object.fromEntries(env.map((e) => [e.Name, renderValue(e.Value)]));
}

/** The environment of a Lambda function, rendered. */
export function functionEnvironment(fn: { Properties: Record<string, any> }): Record<string, string> {
  return Object.fromEntries(Object.entries(fn.Properties.Environment.Variables as Record<string, unknown>).map(([k, v]) => [k, renderValue(v)]));
}

/** Every statement of the inline policies attached to a role (CDK's DefaultPolicy and others). */
export function statementsOfRole(built: BuiltStack, role: { node: { defaultChild?: unknown } }): Record<string, any>[] {
  const roleId = logicalIdOf(built.stack, role);
  return Object.values(resourcesOf(built.template(), 'AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Record<string, any>[]);
}

/** Managed policies attached to a role (expected: none). */
export function managedPoliciesOfRole(built: BuiltStack, role: { node: { defaultChild?: unknown } }): unknown {
  const roleId = logicalIdOf(built.stack, role);
  return resourcesOf(built.template(), 'AWS::IAM::Role')[roleId]!.Properties.ManagedPolicyArns;
}

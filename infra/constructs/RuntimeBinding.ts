import { Validations } from 'aws-cdk-lib';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * Code we deploy (the dispatcher Lambda, a worker container): what a resource
 * construct needs to give it access, the grant on its principal and the
 * environment variable that names the resource, in one call.
 *
 * @example
 * results.bindWorker(containerBinding(container, taskRole));
 */
export interface RuntimeBinding {
  readonly grantPrincipal: iam.IPrincipal;
  addEnvironment(name: string, value: string): unknown;
}

/** A container's binding: grants go to its task role, settings to its environment. */
export function containerBinding(container: ecs.ContainerDefinition, taskRole: iam.IRole): RuntimeBinding {
  return {
    grantPrincipal: taskRole,
    addEnvironment: (name, value) => container.addEnvironment(name, value),
  };
}

/**
 * Records a cdk-nag acknowledgment on the principal a grant went to (a role
 * created in this app), so the finding is acknowledged where it arises.
 */
export function acknowledgeOnPrincipal(principal: iam.IPrincipal, id: string, reason: string): void {
  if (!(principal instanceof Construct)) throw new Error(`Cannot acknowledge ${id}: the principal is not a construct of this app`);
  Validations.of(principal).acknowledge({ id, reason });
}

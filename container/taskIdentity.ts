import os from 'node:os';

/**
 * The ARN of the ECS task this process runs in, from the task metadata
 * endpoint (v4) that ECS gives every container; outside ECS, a name made of
 * the host and process id.
 *
 * @example
 * const taskArn = await taskIdentity(process.env); // 'arn:aws:ecs:eu-west-1:123456789012:task/cluster/0abc...'
 */
export async function taskIdentity(env: NodeJS.ProcessEnv): Promise<string> {
  const endpoint = env.ECS_CONTAINER_METADATA_URI_V4;
  if (endpoint) {
    try {
      const response = await fetch(`${endpoint}/task`, { signal: AbortSignal.timeout(2_000) });
      const body = (await response.json()) as { TaskARN?: unknown };
      if (typeof body.TaskARN === 'string' && body.TaskARN) return body.TaskARN;
    } catch {
      // Fall through: the identity only labels logs and records.
    }
  }
  return `process/${os.hostname()}/${process.pid}`;
}

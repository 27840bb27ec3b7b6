/**
 * The Node.js lines this product supports: maintained ones only (Node 20 reached its end of
 * life in April 2026; the pinned Claude Code and the AWS SDK declare Node 22 or newer).
 * Keep in step with `engines` in package.json.
 */
export const MIN_NODE_MAJOR = 22;

/**
 * Why this Node.js cannot run the CLI, or undefined when it can. Checked before anything
 * else is loaded, so an old Node prints this instead of a failure deep in a dependency.
 *
 * @example unsupportedNodeMessage('20.20.2'); // 'headless-workers needs Node.js 22 or newer; this is Node.js 20.20.2. ...'
 * @example unsupportedNodeMessage('22.12.0'); // undefined
 */
export function unsupportedNodeMessage(nodeVersion: string): string | undefined {
  const major = Number.parseInt(nodeVersion.split('.')[0] ?? '', 10);
  if (Number.isInteger(major) && major >= MIN_NODE_MAJOR) return undefined;
  return (
    `headless-workers needs Node.js ${MIN_NODE_MAJOR} or newer; this is Node.js ${nodeVersion}. ` +
    `Install a maintained Node.js (22 or 24) and run the command again.`
  );
}

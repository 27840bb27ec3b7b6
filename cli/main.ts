#!/usr/bin/env node
import { EXIT } from './exitCodes.js';
import { unsupportedNodeMessage } from './supportedNode.js';

// Refuse an unsupported Node.js before the program and its dependencies load (hence the
// dynamic import below): the user gets one line saying what to install, not a stack trace.
const unsupportedNode = unsupportedNodeMessage(process.versions.node);
if (unsupportedNode !== undefined) {
  process.stderr.write(`error: ${unsupportedNode}\n`);
  process.exit(EXIT.usage);
}

// The SDK clients are pinned in package.json, so the SDK's notice that its future releases
// will need node 22 says nothing about this command; it would only bury its error messages.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// `headless-workers findings | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const { main } = await import('./program.js');
process.exitCode = await main(process.argv.slice(2));

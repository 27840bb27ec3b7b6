#!/usr/bin/env node
import { main } from './program.js';

// The SDK clients are pinned in package.json, so the SDK's notice that its future releases
// will need node 22 says nothing about this command; it would only bury its error messages.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// `headless-workers findings | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2));

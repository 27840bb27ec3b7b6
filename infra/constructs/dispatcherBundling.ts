/** The dispatcher's handler, relative to the repository root. */
export const DISPATCHER_ENTRY = 'functions/dispatcher/handler.ts';

/**
 * The esbuild options of the dispatcher Lambda, read by the CDK construct
 * (`Dispatcher`) and by the bundle benchmark (bench/dispatcherBundle.ts), so
 * the figures describe what is deployed. Plain data: no aws-cdk-lib import.
 *
 * - ESM for Node.js 24, minified, external source map without sources.
 * - Every SDK v3 client bundled (pinned versions), their ESM builds first
 *   (`mainFields`) so unused commands and schemas are tree-shaken.
 * - `require` defined for the CommonJS dependencies an ESM bundle inlines.
 * - `alias`: the SDK's default credential chain replaced by the environment
 *   credentials Lambda provides (functions/dispatcher/lambdaCredentials.ts).
 *   esbuild resolves an alias in its working directory: the repository root.
 */
export const DISPATCHER_BUNDLING = {
  format: 'esm',
  target: 'node24',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  externalModules: [],
  banner: "import { createRequire as __hwCreateRequire } from 'node:module'; const require = __hwCreateRequire(import.meta.url);",
  alias: { '@aws-sdk/credential-provider-node': './functions/dispatcher/lambdaCredentials.ts' },
} as const satisfies {
  format: 'esm';
  target: string;
  minify: boolean;
  sourceMap: boolean;
  sourcesContent: boolean;
  mainFields: readonly string[];
  externalModules: readonly string[];
  banner: string;
  alias: Readonly<Record<string, string>>;
};

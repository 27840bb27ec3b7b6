import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * The credential lookup of the bundled dispatcher. Lambda hands the function's
 * role credentials to the handler in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
 * and AWS_SESSION_TOKEN, so the SDK's default chain (profiles, SSO, web
 * identity, instance metadata, with their STS and SSO clients: about 130 KB
 * minified) has nothing to find there. The bundle resolves
 * `@aws-sdk/credential-provider-node` to this module (see `DISPATCHER_BUNDLING`
 * in infra/constructs/dispatcherBundling.ts); unbundled code, tests included,
 * keeps the SDK's chain.
 *
 * @example new SQSClient({}) // in the bundle, signs with the credentials Lambda put in the environment
 */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]): ReturnType<typeof fromEnv> => fromEnv(init);

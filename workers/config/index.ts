export { CONFIG_FILE_NAME, loadConfig, parseConfig, userConfigFile, type ResolvedConfig } from './loadConfig.js';
export { resolveCatalog } from './resolveCatalog.js';
export { formatIssues, formatPath } from './formatIssues.js';
export { configFileSchema, targetSchema, limitsSchema, workerOverrideSchema, type ConfigFile, type TargetConfig, type LimitsConfig, type WorkerOverride } from './configSchema.js';
export { repositoryScopedConfig, type RepositoryConfigNotes, type RepositoryScopedConfig } from './repositoryConfig.js';

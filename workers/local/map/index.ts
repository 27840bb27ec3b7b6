export { runMap, type MapOptions } from './runMap.js';
export { countFileLines, countLines, type LineCounts } from './countLines.js';
export { detectLanguage } from './detectLanguage.js';
export { LANGUAGES, type ClocFilter, type LanguageDefinition } from './languages.js';
export type { DirectorySummary, LanguageSummary, LargestFile, RepositoryMap } from './types.js';

export { runMap, type MapOptions } from './runMap.js';
export { countFileLines, countLines, type LineCounts } from './countLines.js';
export { classifyLanguage, detectLanguage, type LanguageVerdict } from './detectLanguage.js';
export { LANGUAGES, languageNamed, type ClocFilter, type LanguageDefinition } from './languages.js';
export { CLOC_VERSION } from './clocLanguages.generated.js';
export type { DirectorySummary, FileAccounting, LanguageSummary, LargestFile, NotCountedGroup, NotCountedReason, RepositoryMap } from './types.js';

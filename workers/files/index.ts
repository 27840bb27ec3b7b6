export { classifyPath, hasBinaryExtension, hasGeneratedMarker, looksBinary, VENDORED_DIRS, type FileClass } from './fileClassification.js';
export { GitignoreMatcher } from './gitignoreMatcher.js';
export { readTextHead, readTextHeadSync, type TextRead } from './readTextHead.js';
export { listRepositoryFiles, compareStrings, type RepoFile, type RepositoryListing, type ListOptions, type SkippedFile } from './listRepositoryFiles.js';
export { readJsonFile } from './readJsonFile.js';
export { writeJsonAtomic } from './writeJsonAtomic.js';
export { withFileLock, type FileLockOptions } from './withFileLock.js';

export { classifyPath, hasBinaryExtension, hasGeneratedMarker, looksBinary, VENDORED_DIRS, type FileClass } from './fileClassification.js';
export { GitignoreMatcher } from './gitignoreMatcher.js';
export { readTextHead, readTextHeadSync, type TextRead } from './readTextHead.js';
export { listRepositoryFiles, compareStrings, type RepoFile, type RepositoryListing, type ListOptions, type SkippedFile } from './listRepositoryFiles.js';
export { readJsonFile } from './readJsonFile.js';
export { writeJsonAtomic } from './writeJsonAtomic.js';
export { withFileLock, type FileLockOptions } from './withFileLock.js';
export { isRepositoryRelativePath, resolveInsideRepository } from './repositoryPath.js';
export { MAX_WALK_DEPTH, walkRepository, type RepositoryWalk, type WalkSkip, type WalkedEntry } from './walkRepository.js';

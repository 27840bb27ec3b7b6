export { renderReportHtml } from './renderReportHtml.js';
export { reviewCoverageFromRuns, coverageByDirectory, ancestorDirectories, type DirectoryCoverage, type RepositoryDirectory } from './reviewCoverage.js';
export { mapDirectoriesOf } from './mapDirectoriesOf.js';
export { countFindings, topFiles, type FindingCounts, type TopFile } from './summarizeFindings.js';
export { usageByDay, usageByWorker, totalTokens, type DayUsage, type WorkerUsage } from './runsByDay.js';
export { findingTrend, type TrendPoint } from './findingTrend.js';
export type { ReportInput, ReportRun, ReviewCoverageInput, ReviewedFile } from './types.js';
export { reviewedFilesFromLedger } from './reviewedFilesFromLedger.js';

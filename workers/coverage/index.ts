export { LocalReviewLedger } from './LocalReviewLedger.js';
export { nextBacklogSlice, orderBacklog, type Backlog, type BacklogCandidate, type BacklogItem, type BacklogState } from './orderBacklog.js';
export { narrowToBacklog } from './narrowToBacklog.js';
export { recordReview } from './recordReview.js';
export { reviewCandidates, type ReviewCandidates } from './reviewCandidates.js';
export { summarizeCoverage, type CoverageSummary, type DirectoryCoverage } from './summarizeCoverage.js';
export type { ReviewEntry, ReviewLedger } from './types.js';
export { describeBacklogSlice } from './describeBacklogSlice.js';

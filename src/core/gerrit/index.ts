export * from './errors';
export { parseChangeRef, changeRefName, parseChangeRefName, type ChangeRef } from './changeRef';
export { parseGitReview, type GitReviewConfig } from './gitreview';
export { parseGerritJson, parseChangeInfo, parseChangeList, summarize, currentPatchset, XSSI_PREFIX } from './parse';
export { GerritClient, type GerritClientOptions, type GerritCredentials, type GetChangeOptions, type FetchLike } from './client';
export { reviewBranchName } from './reviewBranch';
export type * from './types';

export * from './errors';
export { parseChangeRef, changeRefName, parseChangeRefName, type ChangeRef } from './changeRef';
export { parseGitReview, type GitReviewConfig } from './gitreview';
export { parseGerritJson, parseChangeInfo, parseChangeList, parseChangePage, summarize, currentPatchset, XSSI_PREFIX } from './parse';
export { buildChangeQuery, changeQueryPath, type ChangeQuery, type Page } from './query';
export { GerritClient, type GerritClientOptions, type GerritCredentials, type GetChangeOptions, type FetchLike, type ChangePage } from './client';
export { reviewBranchName } from './reviewBranch';
export type * from './types';
export { detectGerritProject, parseRemoteUrl, projectFromGitReview, resolveGerritProject, type GerritProject, type ProjectSources } from './project';

/**
 * Gerrit's REST entities as the server sends them (field names as in Gerrit's REST docs), and the
 * client's own, validated view of them.
 */

export type ChangeStatus = 'NEW' | 'MERGED' | 'ABANDONED';

/** AccountInfo: only `_account_id` unless DETAILED_ACCOUNTS was asked for. */
export interface AccountInfoJson {
  readonly _account_id: number;
  readonly name?: string;
  readonly email?: string;
  readonly username?: string;
}

/** FetchInfo, one per download scheme (`anonymous http`, `http`, `ssh`). */
export interface FetchInfoJson {
  readonly url: string;
  readonly ref: string;
}

export interface RevisionInfoJson {
  readonly _number: number;
  readonly kind?: string;
  readonly created: string;
  readonly uploader?: AccountInfoJson;
  readonly ref: string;
  readonly fetch?: Readonly<Record<string, FetchInfoJson>>;
}

export interface ChangeInfoJson {
  readonly id: string;
  readonly project: string;
  readonly branch: string;
  readonly topic?: string;
  readonly change_id: string;
  readonly subject: string;
  readonly status: ChangeStatus;
  readonly created: string;
  readonly updated: string;
  readonly _number: number;
  readonly owner: AccountInfoJson;
  readonly current_revision?: string;
  readonly revisions?: Readonly<Record<string, RevisionInfoJson>>;
  readonly _more_changes?: boolean;
}

export interface Account {
  readonly id: number;
  readonly name?: string;
  readonly email?: string;
  readonly username?: string;
}

export interface Patchset {
  readonly number: number;
  /** The commit (revision) sha. */
  readonly revision: string;
  /** `refs/changes/NN/C/PS`. */
  readonly ref: string;
  /** Fetch URL by scheme, from FetchInfo (absent when the server has no download scheme). */
  readonly fetchUrls: Readonly<Record<string, string>>;
  readonly created: string;
}

export interface Change {
  readonly number: number;
  readonly changeId: string;
  readonly project: string;
  readonly branch: string;
  readonly topic?: string;
  readonly subject: string;
  readonly status: ChangeStatus;
  readonly updated: string;
  readonly owner: Account;
  /** The current patchset's revision, when the server included revisions. */
  readonly currentRevision?: string;
  /** Known patchsets, oldest first (all of them with allRevisions, else the current one). */
  readonly patchsets: readonly Patchset[];
}

/** One line of an open-changes list. */
export interface ChangeSummary {
  readonly number: number;
  readonly project: string;
  readonly branch: string;
  readonly subject: string;
  readonly owner: Account;
  readonly updated: string;
  readonly status: ChangeStatus;
  readonly topic?: string;
  readonly latestPatchset?: number;
}

export { SourceSync, SYNC_SCRIPT, type SourceSyncOptions, type SyncResult } from './sourceSync';
export { buildTar, assertTarPath, type TarEntry } from './tar';
export { MANIFEST_NAME, MANIFEST_DELTA_NAME, parseManifest, readManifest, serializeManifest, serializeManifestDelta, computeDeletes, isSafeRelativePath, assertSafeRelativePath } from './manifest';
export { listWorkingTree, readLocal } from './localFiles';

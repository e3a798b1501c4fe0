export {
  cloneOrFetch,
  listRemoteRefs,
  checkoutChange,
  checkoutGerritChange,
  SourcesError,
  UncommittedChangesError,
  type CheckoutResult,
  type ChangeCheckout,
  type DirtyPolicy,
  type GitSource,
} from './localSources';

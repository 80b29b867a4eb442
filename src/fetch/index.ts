export { type CachedFunction, type CachedOptions, cached } from './cached.js';
export { LoaderError, LoadTimeout } from './errors.js';
export { type FetchPolicy, type ResolvedFetchPolicy, resolveFetchPolicy } from './fetch-policy.js';
export { emptyFetchStats, type FetchStats } from './fetch-stats.js';
export {
  absentNamespace,
  type FetchCallOptions,
  Fetcher,
  type FetcherOptions,
  type KeyLoader,
  type LoadedWriter,
  type LoadReport,
} from './fetcher.js';
export type { LoadWatch } from './load-watch.js';
export {
  isNotFound,
  type LoadContext,
  type Loader,
  markNotFound,
  NOT_FOUND,
  type NotFoundMarked,
} from './loader.js';

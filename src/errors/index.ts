export {
  BackendError,
  CacheError,
  type CacheErrorOptions,
  CannotDelete,
  ClosedClient,
  EntryNotFound,
  InvalidDataFound,
} from './cache-errors.js';

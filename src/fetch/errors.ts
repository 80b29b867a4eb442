import { CacheError, type CacheErrorOptions } from '../errors/index.js';

/** A loader failed or timed out; `cause` holds the loader's own error. */
export class LoaderError extends CacheError {
  constructor(message: string, options: CacheErrorOptions = {}) {
    super(message, options);
  }
}

/** A load took longer than its timeout and was aborted. */
export class LoadTimeout extends Error {
  constructor(ms: number) {
    super(`the load took longer than ${ms} ms`);
    this.name = 'LoadTimeout';
  }
}

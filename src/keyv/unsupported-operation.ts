import { CacheError, type CacheErrorOptions } from '../errors/index.js';

/**
 * The store cannot do this operation correctly, so it refuses it instead of pretending.
 * {@link KeyvStore} raises it for parent indexes, atomic batches and size limits, which Keyv lacks.
 */
export class UnsupportedOperation extends CacheError {
  /** The operation refused, e.g. `'link'` or `'batch'`. */
  readonly operation: string;

  constructor(operation: string, message: string, options: CacheErrorOptions = {}) {
    super(message, options);
    this.operation = operation;
  }
}

import { describe, expect, it } from 'vitest';
import {
  BackendError,
  CacheError,
  CannotDelete,
  ClosedClient,
  EntryNotFound,
  InvalidDataFound,
} from '../../src/index.js';

describe('error taxonomy', () => {
  it.each([BackendError, ClosedClient, EntryNotFound, CannotDelete, InvalidDataFound])(
    '%o is a CacheError',
    (Kind) => {
      const error = new Kind('boom', { key: 'k', resource: 'users' });
      expect(error).toBeInstanceOf(CacheError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(Kind.name);
      expect(error.key).toBe('k');
      expect(error.resource).toBe('users');
    },
  );

  it('carries the cause', () => {
    const cause = new Error('ECONNREFUSED');
    expect(new BackendError('store failed', { cause }).cause).toBe(cause);
    expect(new BackendError('no cause').cause).toBeUndefined();
  });

  it('ClosedClient has a default message', () => {
    expect(new ClosedClient().message).toBe('the store is closed');
  });
});

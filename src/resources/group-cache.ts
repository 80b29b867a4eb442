import { assertKey, assertKeys } from '../util/validate.js';
import type { ResolvedLimits } from './limits.js';
import type { ResourceContext } from './resource-context.js';
import { SimpleResourceCache } from './simple-resource-cache.js';

/**
 * A user-defined resource (coc.py's groups: clans, wars, players, static data) from `cache.define()`.
 * Same API as a simple resource; keys are any non-empty string (player tags such as `#PY2`).
 */
export class GroupCache<V extends object> extends SimpleResourceCache<V> {
  constructor(
    ctx: ResourceContext,
    name: string,
    /** The group's limits, durations in milliseconds. */
    readonly limits: ResolvedLimits,
  ) {
    super(ctx, name);
  }

  protected override checkId(id: unknown, name: string): asserts id is string {
    assertKey(id, name);
  }

  protected override checkIds(ids: unknown, name: string): asserts ids is readonly string[] {
    assertKeys(ids, name);
  }
}

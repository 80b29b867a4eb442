import type { Loader } from '../fetch/loader.js';
import type { ResourceContext } from './resource-context.js';
import { checkValue, type Patch, ResourceCore } from './resource-core.js';
import type { ResourceFetchCall, ResourceFetching } from './resource-fetch.js';
import type { WritePlan } from './write-plan.js';

const ME_KEY = 'me';

/** The bot's own user (READY, USER_UPDATE; Mezon: the bot user at login). A single entry. */
export class MeCache<V extends object> extends ResourceCore<V> {
  constructor(ctx: ResourceContext) {
    super(ctx, 'me');
  }

  async get(): Promise<V | undefined> {
    return this.readKey(ME_KEY);
  }

  /** Resolves to the previous value. */
  async set(value: V): Promise<V | undefined> {
    checkValue(value);
    let index = -1;
    const results = await this.commit((plan) => {
      index = this.planSet(plan, value);
    });
    return results[index] as V | undefined;
  }

  /** @internal */
  planSet(plan: WritePlan, value: V): number {
    return this.planWrite(plan, ME_KEY, value, undefined);
  }

  /** The cached bot user, else the loaded one (`loader({ signal })`). */
  async fetch(options?: ResourceFetchCall<V, []>): Promise<V> {
    this.ctx.guard();
    return this.fetching().fetch(ME_KEY, [], options);
  }

  /** Sets the loader `fetch` uses when a call gives none. */
  setLoader(loader: Loader<V, []>): void {
    this.fetching().setLoader(loader);
  }

  private fetching(): ResourceFetching<V, []> {
    return this.fetchingWith<[]>(
      () => [],
      (plan, _ids, value) => this.planSet(plan, value),
    );
  }

  async patch(partial: Patch<V>): Promise<V | undefined> {
    return this.patchKey(ME_KEY, partial);
  }

  async delete(): Promise<boolean> {
    return this.deleteKey(ME_KEY);
  }
}

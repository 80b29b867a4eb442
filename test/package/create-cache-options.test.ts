import { describe, expect, it } from 'vitest';
import { createCache } from '../../src/index.js';

interface Clan {
  readonly id: string;
  readonly clanName: string;
}

// The type assertions below are checked by `npm run typecheck` (tsc over test/): an unused
// expect-error directive is an error, so each line proves the options refuse what they must.
describe('createCache() options are typed by the value types', () => {
  it('accepts a loader of the resource type and refuses one of another shape', async () => {
    const cache = createCache<{ guilds: Clan }>({
      fetch: { guilds: { loader: async (id) => ({ id, clanName: `clan ${id}` }) } },
    });
    expect(await cache.guilds.fetch('7')).toEqual({ id: '7', clanName: 'clan 7' });
    await cache.close();

    createCache<{ guilds: Clan }>({
      // @ts-expect-error a loader of guilds must load a Clan, not any record
      fetch: { guilds: { loader: async () => ({ unrelated: true }) } },
    });
    // @ts-expect-error no untyped half: an unknown option is refused
    createCache<{ guilds: Clan }>({ storage: 'memory' });
  });

  it('names resources and durations only, in the type and at run time', () => {
    // @ts-expect-error limits name resources only
    expect(() => createCache({ limits: { nosuch: { max: 1 } } })).toThrow(/nosuch/);
    // @ts-expect-error fetch names resources only
    expect(() => createCache({ fetch: { nosuch: { loader: async () => ({}) } } })).toThrow(/nosuch/);
    // @ts-expect-error a ttl is ms or a duration such as '5m'
    expect(() => createCache({ limits: { users: { ttl: '5 minutes' } } })).toThrow(/limits\.users\.ttl/);
    // @ts-expect-error a store is a botcache Store, not any record
    expect(() => createCache({ store: { kind: 'memory' } })).toThrow(/options\.store/);
  });
});

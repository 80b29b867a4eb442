import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CannotDelete } from '../errors/index.js';
import type { BotCache } from '../resources/create-cache.js';
import { collect } from './context.js';
import type { ResourceSuiteContext } from './resource-context.js';
import { ResourceModel } from './resource-model.js';

const GUILDS = ['g1', 'g2'];
const CHANNELS = ['c1', 'c2', 'c3'];
const USERS = ['u1', 'u2', 'u3'];
const MESSAGES = ['m1', 'm2', 'm3', 'm4', 'm5'];
const CAP = 3;

type Op =
  | { kind: 'setGuild'; g: string; n: number }
  | { kind: 'deleteGuild'; g: string }
  | { kind: 'setChannel'; c: string; g: string | undefined; n: number }
  | { kind: 'deleteChannel'; c: string }
  | { kind: 'setMember'; g: string; u: string; n: number }
  | { kind: 'patchMember'; g: string; u: string; n: number }
  | { kind: 'deleteMember'; g: string; u: string }
  | { kind: 'setMessage'; m: string; c: string; u: string | undefined; n: number }
  | { kind: 'deleteMessage'; m: string }
  | { kind: 'setUser'; u: string; n: number }
  | { kind: 'deleteUser'; u: string; cascade: boolean };

const n = fc.integer({ min: 0, max: 9 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('setGuild' as const), g: fc.constantFrom(...GUILDS), n }),
  fc.record({ kind: fc.constant('deleteGuild' as const), g: fc.constantFrom(...GUILDS) }),
  fc.record({
    kind: fc.constant('setChannel' as const),
    c: fc.constantFrom(...CHANNELS),
    g: fc.option(fc.constantFrom(...GUILDS), { nil: undefined }),
    n,
  }),
  fc.record({ kind: fc.constant('deleteChannel' as const), c: fc.constantFrom(...CHANNELS) }),
  fc.record({
    kind: fc.constant('setMember' as const),
    g: fc.constantFrom(...GUILDS),
    u: fc.constantFrom(...USERS),
    n,
  }),
  fc.record({
    kind: fc.constant('patchMember' as const),
    g: fc.constantFrom(...GUILDS),
    u: fc.constantFrom(...USERS),
    n,
  }),
  fc.record({
    kind: fc.constant('deleteMember' as const),
    g: fc.constantFrom(...GUILDS),
    u: fc.constantFrom(...USERS),
  }),
  fc.record({
    kind: fc.constant('setMessage' as const),
    m: fc.constantFrom(...MESSAGES),
    c: fc.constantFrom(...CHANNELS),
    u: fc.option(fc.constantFrom(...USERS), { nil: undefined }),
    n,
  }),
  fc.record({ kind: fc.constant('deleteMessage' as const), m: fc.constantFrom(...MESSAGES) }),
  fc.record({ kind: fc.constant('setUser' as const), u: fc.constantFrom(...USERS), n }),
  fc.record({
    kind: fc.constant('deleteUser' as const),
    u: fc.constantFrom(...USERS),
    cascade: fc.boolean(),
  }),
);

async function apply(cache: BotCache, model: ResourceModel, o: Op): Promise<void> {
  switch (o.kind) {
    case 'setGuild':
      model.guilds.set(o.g, { n: o.n });
      await cache.guilds.set(o.g, { n: o.n });
      return;
    case 'deleteGuild':
      model.deleteGuild(o.g);
      await cache.guilds.delete(o.g);
      return;
    case 'setChannel':
      model.setChannel(o.c, { n: o.n }, o.g);
      await cache.channels.set(o.c, { n: o.n }, o.g === undefined ? undefined : { guildId: o.g });
      return;
    case 'deleteChannel':
      model.deleteChannel(o.c);
      await cache.channels.delete(o.c);
      return;
    case 'setMember':
      model.members.set(`${o.g}/${o.u}`, { n: o.n });
      await cache.members.set(o.g, o.u, { n: o.n });
      return;
    case 'patchMember': {
      const key = `${o.g}/${o.u}`;
      const current = model.members.get(key);
      if (current) model.members.set(key, { ...current, p: o.n });
      await cache.members.patch(o.g, o.u, { p: o.n });
      return;
    }
    case 'deleteMember':
      model.members.delete(`${o.g}/${o.u}`);
      await cache.members.delete(o.g, o.u);
      return;
    case 'setMessage':
      model.setMessage(o.m, { n: o.n }, o.c, o.u);
      await cache.messages.set(
        o.m,
        { n: o.n },
        o.u === undefined ? { channelId: o.c } : { channelId: o.c, authorId: o.u },
      );
      return;
    case 'deleteMessage':
      model.deleteMessage(o.m);
      await cache.messages.delete(o.m);
      return;
    case 'setUser':
      model.users.set(o.u, { n: o.n });
      await cache.users.set(o.u, { n: o.n });
      return;
    case 'deleteUser': {
      const refused = !o.cascade && model.references(o.u) > 0;
      const outcome = await cache.users.delete(o.u, { cascade: o.cascade }).catch((error: unknown) => error);
      if (refused) expect(outcome).toBeInstanceOf(CannotDelete);
      else {
        expect(outcome).toBe(model.users.has(o.u));
        model.deleteUser(o.u);
      }
      return;
    }
  }
}

async function expectAgreement(cache: BotCache, model: ResourceModel): Promise<void> {
  for (const g of GUILDS) {
    expect(await cache.guilds.get(g)).toEqual(model.guilds.get(g));
    const channels = [...model.channels].filter(([, c]) => c.guildId === g).map(([id]) => id);
    expect((await collect(cache.channels.forGuild(g).keys())).sort()).toEqual(channels.sort());
    const members = USERS.filter((u) => model.members.has(`${g}/${u}`));
    expect((await collect(cache.members.forGuild(g).keys())).sort()).toEqual(members);
    for (const u of USERS) expect(await cache.members.get(g, u)).toEqual(model.members.get(`${g}/${u}`));
  }
  for (const c of CHANNELS) {
    expect(await cache.channels.get(c)).toEqual(model.channels.get(c)?.value);
    expect(await collect(cache.messages.forChannel(c).keys())).toEqual(model.channelOrder.get(c) ?? []);
  }
  for (const m of MESSAGES) expect(await cache.messages.get(m)).toEqual(model.messages.get(m)?.value);
  for (const u of USERS) expect(await cache.users.get(u)).toEqual(model.users.get(u));
  expect(await cache.members.count()).toBe(model.members.size);
  expect(await cache.messages.count()).toBe(model.messages.size);
}

/** Random sequences of resource operations, applied to the cache and to a plain model, must agree. */
export function resourcePropertyTests(ctx: ResourceSuiteContext, numRuns: number): void {
  describe('resource model agreement', () => {
    it('random operation sequences leave the cache and the reference model in agreement', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
          const cache = ctx.cache({ limits: { messages: { maxPerChannel: CAP } } });
          const model = new ResourceModel(CAP);
          for (const o of ops) await apply(cache, model, o);
          await expectAgreement(cache, model);
          await cache.close();
        }),
        { numRuns },
      );
    });
  });
}

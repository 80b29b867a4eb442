/**
 * Multi-entity Mezon events are applied whole or not at all. The store below forwards to a real store
 * (MemoryStore, or a RedisStore whose server writes an fsync'd AOF), except for one armed batch: on
 * memory it is refused; on Redis the server is SIGKILLed just before it is sent and restarted after.
 * Written entity by entity, the message (or the role) would already be stored when the member write
 * fails; as one transaction, nothing of the event is visible afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachMezon, createMezonCache, type MezonEventError } from '../../src/platforms/mezon/index.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { RedisStore } from '../../src/store/redis/index.js';
import type { BatchOp, Store } from '../../src/store/types.js';
import { createMezonTestClient, type MezonTestClient } from '../support/mezon/mezon-test-client.js';
import { CLAN, channelMessage, OTHER_USER, ROLE, role, USER } from '../support/mezon/payloads.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';

const FIRST = '1840000000000000600';
const SECOND = '1840000000000000601';

/** A real store whose next batch that writes members runs `trap` first (which may throw). */
function withTrap(store: Store): { store: Store; arm(trap: () => Promise<void>): void } {
  let armed: (() => Promise<void>) | undefined;
  const touchesMembers = (ops: readonly BatchOp[]) =>
    ops.some((op) => op.type === 'set' && op.ns.endsWith('members'));
  const proxy = new Proxy(store, {
    get(target, property) {
      if (property === 'batch') {
        return async (ops: readonly BatchOp[]) => {
          const trap = armed;
          if (trap && touchesMembers(ops)) {
            armed = undefined;
            await trap();
          }
          return target.batch(ops);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: proxy, arm: (trap) => (armed = trap) };
}

interface Backend {
  readonly name: string;
  start(): Promise<Store>;
  /** Makes the armed batch fail the way this backend fails. */
  fail(): Promise<void>;
  /** Brings the store back after the failure. */
  recover(): Promise<void>;
  stop(): Promise<void>;
}

let redis: RedisServer | undefined;
let redisStore: RedisStore | undefined;

const backends: Backend[] = [
  {
    name: 'MemoryStore (batch refused)',
    start: async () => new MemoryStore(),
    fail: async () => {
      throw new Error('the store refused the batch');
    },
    recover: async () => undefined,
    stop: async () => undefined,
  },
  {
    name: 'RedisStore (server killed, restarted from its AOF)',
    start: async () => {
      redis = await startRedis({ args: ['--appendonly', 'yes', '--appendfsync', 'always'] });
      redisStore = new RedisStore({
        url: redis.url,
        prefix: 'atomic',
        commandTimeout: 2_000,
        reconnect: { initialDelay: 20, maxDelay: 100 },
      });
      return redisStore;
    },
    fail: async () => {
      await redis?.kill();
    },
    recover: async () => {
      await redis?.restart();
      // The client refuses commands while offline: wait for its reconnect.
      const deadline = Date.now() + 10_000;
      for (;;) {
        try {
          await redisStore?.has('probe', 'probe');
          return;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      }
    },
    stop: async () => {
      await redisStore?.close();
      await redis?.stop();
    },
  },
];

let sdk: MezonTestClient;
beforeAll(() => {
  sdk = createMezonTestClient();
});
afterAll(() => sdk.dispose());

describe.each(backends)('Mezon events are atomic over $name', (backend) => {
  let base: Store;
  beforeAll(async () => {
    base = await backend.start();
  }, 30_000);
  afterAll(() => backend.stop());

  it('a channel message, then a role event, that fail leave no part behind', async () => {
    const trapped = withTrap(base);
    const cache = createMezonCache({ store: trapped.store });
    await cache.open();
    const errors: MezonEventError[] = [];
    const attachment = attachMezon(cache, sdk.client, {
      refreshOnReady: false,
      onError: (error) => errors.push(error),
    });

    sdk.deliver('channel_message', channelMessage({ id: FIRST, message_id: FIRST }));
    await attachment.idle();

    trapped.arm(() => backend.fail());
    sdk.deliver(
      'channel_message',
      channelMessage({
        id: SECOND,
        message_id: SECOND,
        sender_id: OTHER_USER,
        username: 'bob',
        clan_nick: 'Bobby',
      }),
    );
    await attachment.idle();
    await backend.recover();

    expect(errors.map((error) => [error.event, error.malformed])).toEqual([['channel_message', false]]);
    expect(attachment.stats).toMatchObject({ applied: 1, failed: 1 });
    // Nothing of the failed event: not the message, not the sender's user, not the member.
    expect(await cache.messages.get(SECOND)).toBeUndefined();
    expect(await cache.users.get(OTHER_USER)).toBeUndefined();
    expect(await cache.members.get(CLAN, OTHER_USER)).toBeUndefined();
    // The event before it is whole (on Redis: it survived the crash).
    expect(await cache.messages.get(FIRST)).toMatchObject({ sender_id: USER });
    expect(await cache.members.get(CLAN, USER)).toMatchObject({ clan_nick: 'Annie', role_ids: [] });

    // A role event touches the role and every listed member: refused whole as well.
    trapped.arm(() => backend.fail());
    sdk.deliver('role_event', {
      role: role(),
      status: 1,
      user_id: USER,
      user_add_ids: [USER, OTHER_USER],
      user_remove_ids: [],
      active_permission_ids: [],
      remove_permission_ids: [],
    });
    await attachment.idle();
    await backend.recover();
    expect(attachment.stats.failed).toBe(2);
    expect(await cache.roles.get(ROLE)).toBeUndefined();
    expect((await cache.members.get(CLAN, USER))?.role_ids).toEqual([]);
    expect(await cache.members.get(CLAN, OTHER_USER)).toBeUndefined();

    // Delivered again once the store works, both events apply in full.
    sdk.deliver(
      'channel_message',
      channelMessage({ id: SECOND, message_id: SECOND, sender_id: OTHER_USER, clan_nick: 'Bobby' }),
    );
    await attachment.idle();
    expect(await cache.messages.get(SECOND)).toBeDefined();
    expect(await cache.members.get(CLAN, OTHER_USER)).toMatchObject({ clan_nick: 'Bobby' });
    expect(errors).toHaveLength(2);
    attachment.detach();
    await cache.close();
  }, 30_000);
});

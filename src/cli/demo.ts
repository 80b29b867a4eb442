import { MemoryStore } from '../store/index.js';

const CLAN_ID = '1840651530236071936';

/** Fills a MemoryStore with a simulated Mezon clan (channels, members, messages) and reports what it holds. */
export async function runDemo(_args: readonly string[]): Promise<number> {
  const store = new MemoryStore({ namespaces: { messages: { ttl: 300_000, maxPerParent: { channel: 100 } } } });
  const started = performance.now();
  const guild = { by: 'clan', parent: CLAN_ID };

  await store.set('clans', CLAN_ID, { id: CLAN_ID, clan_name: 'botcache demo clan' });
  const channels = Array.from({ length: 5 }, (_, i) => ({ channel_id: `${CLAN_ID.slice(0, -1)}${i}`, channel_label: `channel-${i}` }));
  for (const channel of channels) await store.set('channels', channel.channel_id, channel, { indexes: [guild] });
  for (let i = 0; i < 500; i++) {
    const userId = String(1_840_000_000_000_000_000n + BigInt(i));
    await store.batch([
      { type: 'set', ns: 'users', key: userId, value: { id: userId, username: `user${i}` } },
      { type: 'set', ns: 'members', key: `{${CLAN_ID}}:${userId}`, value: { user_id: userId, nick: null }, options: { indexes: [guild] } },
    ]);
  }
  for (let i = 0; i < 1000; i++) {
    const channel = channels[i % channels.length]!;
    await store.set(
      'messages',
      String(1_850_000_000_000_000_000n + BigInt(i)),
      { channel_id: channel.channel_id, content: { t: `message ${i}` } },
      { indexes: [{ by: 'channel', parent: channel.channel_id }] },
    );
  }
  // A bot answering from the cache instead of the API.
  let answered = 0;
  for (let i = 0; i < 500; i++) {
    if (await store.get('users', String(1_840_000_000_000_000_000n + BigInt(i)))) answered++;
  }
  const ms = performance.now() - started;

  console.log('botcache demo — one simulated clan in the embedded MemoryStore\n');
  console.log(`  clans     ${await store.count('clans')}`);
  console.log(`  channels  ${await store.indexCount('channels', guild)} in the clan`);
  console.log(`  members   ${await store.indexCount('members', guild)} in the clan`);
  console.log(`  users     ${await store.count('users')}`);
  console.log(`  messages  ${await store.count('messages')} kept of 1000 written (100 per channel cap)`);
  const users = store.stats('users');
  console.log(`\n  user lookups answered from the cache: ${answered}/500 (hits ${users.hits}, misses ${users.misses})`);
  console.log(`  evicted by the per-channel cap: ${store.stats('messages').evictions}`);
  console.log(`  done in ${ms.toFixed(0)} ms`);
  await store.close();
  return 0;
}

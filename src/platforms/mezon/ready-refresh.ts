/**
 * What to do when the SDK (re)logs in: it has just listed the bot's clans again, and each clan can
 * list its channels. The cache keeps everything it had (no cold start) and only corrects what
 * changed while the socket was down: new or renamed clans and channels, and ones that are gone.
 */
import { EventBatch } from './event-batch.js';
import type { MezonChannelRecord } from './records.js';
import { channelRecord, clanRecord, DM_CLAN_ID, type SdkClan } from './sdk-objects.js';
import { TEXT_CHANNEL_TYPE } from './sdk-types.js';
import { type MezonEventContext, upsertChannel } from './upserts.js';

export interface RefreshOptions {
  /** Also list each clan's channels (one rate-limited REST call per clan). */
  readonly loadChannels: boolean;
  /** Reports a clan whose channels could not be listed; the refresh goes on with the next clan. */
  readonly onClanError: (clanId: string, error: unknown) => void;
}

/** The clans the SDK knows now, read through `client.clans` at call time. */
export type ClanSource = () => Iterable<SdkClan> | undefined;

export async function refreshFromClient(
  context: MezonEventContext,
  clans: ClanSource,
  options: RefreshOptions,
): Promise<void> {
  const current = [...(clans() ?? [])].filter((clan) => clan.id && clan.id !== DM_CLAN_ID);
  const { cache } = context;
  // The clan list is applied as one batch: readers see the old list or the new one.
  const clanBatch = new EventBatch(cache);
  for (const clan of current) {
    const known = await clanBatch.clan(clan.id);
    clanBatch.setClan({ ...known, ...clanRecord(clan) });
  }
  // An empty list more likely means the clan listing failed than that the bot left every clan.
  if (current.length > 0) {
    const present = new Set(current.map((clan) => clan.id));
    for await (const id of cache.guilds.keys()) if (!present.has(id)) clanBatch.deleteClan(id);
  }
  await clanBatch.commit();
  if (!options.loadChannels) return;
  for (const clan of current) {
    try {
      await clan.loadChannels();
    } catch (error) {
      options.onClanError(clan.id, error);
      continue;
    }
    // One batch per clan: its channel list is replaced whole.
    const batch = new EventBatch(cache);
    const listed = new Set<string>();
    for (const channel of clan.channels.values()) {
      const record = channelRecord(channel);
      if (!record) continue;
      listed.add(record.channel_id);
      await upsertChannel(batch, record.channel_id, clan.id, record);
    }
    // The listing holds plain text channels only: threads and voice channels are left alone.
    for await (const [id, value] of cache.channels.forGuild(clan.id)) {
      const channel = value as MezonChannelRecord;
      if (channel.channel_type === TEXT_CHANNEL_TYPE && !listed.has(id)) batch.deleteChannel(id);
    }
    await batch.commit();
  }
}

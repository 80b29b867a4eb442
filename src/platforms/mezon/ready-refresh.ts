/**
 * What to do when the SDK (re)logs in: it has just listed the bot's clans again, and each clan's
 * channels can be listed over REST. The cache keeps everything it had (no cold start) and only
 * corrects what changed while the socket was down: new or renamed clans and channels, ones that are
 * gone, and members it can no longer vouch for.
 *
 * The listings are slow (one rate-limited REST call per clan), so they are taken outside the event
 * queue; only applying a listing joins the queue. A listing is older than any event that arrives while
 * it is taken, so an entity an event wrote since the refresh began (`touched`) keeps the event's state.
 */
import { EventBatch } from './event-batch.js';
import type { MezonChannelRecord, MezonClanRecord, MezonMemberRecord } from './records.js';
import { channelDescRecord, channelRecord, clanRecord, DM_CLAN_ID } from './sdk-objects.js';
import { sdkRest } from './sdk-rest.js';
import type { MezonSdkClan as SdkClan } from './sdk-shapes.js';
import { TEXT_CHANNEL_TYPE } from './sdk-types.js';
import { type MezonEventContext, upsertChannel } from './upserts.js';

/** The clans the SDK knows now, read through `client.clans` at call time. */
export type ClanSource = () => Iterable<SdkClan> | undefined;

/** Entities events wrote since the refresh began, as `resource:id` keys. */
export type Touched = ReadonlySet<string>;

/** The clans of the SDK's current login listing (without the DM pseudo-clan). */
export function listedClans(clans: ClanSource): SdkClan[] {
  return [...(clans() ?? [])].filter((clan) => clan.id && clan.id !== DM_CLAN_ID);
}

/** A clan record without the marks a refresh clears. */
function fresh(known: MezonClanRecord | undefined, clan: SdkClan): MezonClanRecord {
  const { stale: _stale, ...rest } = known ?? { id: clan.id };
  return { ...rest, ...clanRecord(clan) };
}

/**
 * Applies the clan listing as one batch: readers see the old list or the new one. When `unconfirm`,
 * every member of a listed clan is marked unconfirmed (Mezon has no member listing to check them by).
 */
export async function applyClanList(
  context: MezonEventContext,
  clans: readonly SdkClan[],
  touched: Touched,
  unconfirm: boolean,
): Promise<void> {
  const { cache } = context;
  const batch = new EventBatch(cache);
  for (const clan of clans) {
    if (!touched.has(`guilds:${clan.id}`)) batch.setClan(fresh(await batch.clan(clan.id), clan));
  }
  // An empty list more likely means the clan listing failed than that the bot left every clan.
  if (clans.length > 0) {
    const present = new Set(clans.map((clan) => clan.id));
    const gone: string[] = [];
    for await (const id of cache.guilds.keys())
      if (!present.has(id) && !touched.has(`guilds:${id}`)) gone.push(id);
    for (const id of gone) batch.deleteClan(id);
  }
  if (unconfirm) {
    for (const clan of clans) {
      for await (const [, value] of cache.members.forGuild(clan.id)) {
        const member = value as MezonMemberRecord;
        if (member.unconfirmed || touched.has(`members:${clan.id}:${member.user_id}`)) continue;
        batch.setMember({ ...member, unconfirmed: true });
      }
    }
  }
  await batch.commit();
}

/**
 * A clan's text channels, listed fresh over REST (`GET /v2/channeldesc?channel_type=1&clan_id=`). The
 * SDK's `clan.loadChannels()` runs once per Clan object and keeps a failed answer forever, so it is used
 * only when the client exposes no REST client.
 */
export async function listClanChannels(client: object, clan: SdkClan): Promise<MezonChannelRecord[]> {
  const rest = sdkRest(client);
  if (rest) {
    const list = await rest.api.listChannelDescs(rest.token, TEXT_CHANNEL_TYPE, clan.id);
    return (list?.channeldesc ?? []).flatMap((desc) => {
      const record = channelDescRecord(desc);
      return record ? [{ channel_type: TEXT_CHANNEL_TYPE, ...record, clan_id: clan.id }] : [];
    });
  }
  await clan.loadChannels();
  return [...clan.channels.values()].flatMap((channel) => {
    const record = channelRecord(channel);
    return record ? [record] : [];
  });
}

/** Replaces a clan's cached text channels with a listing, as one batch. */
export async function applyChannelList(
  context: MezonEventContext,
  clanId: string,
  listing: readonly MezonChannelRecord[],
  touched: Touched,
): Promise<void> {
  const { cache } = context;
  // The clan went (the bot left) while the listing was taken: nothing to refresh, nothing to bring back.
  if (!(await cache.guilds.get(clanId))) return;
  const batch = new EventBatch(cache);
  const listed = new Set<string>();
  for (const record of listing) {
    listed.add(record.channel_id);
    if (touched.has(`channels:${record.channel_id}`)) continue;
    await upsertChannel(batch, record.channel_id, clanId, record);
  }
  // The listing holds plain text channels only: threads and voice channels are left alone.
  for await (const [id, value] of cache.channels.forGuild(clanId)) {
    const channel = value as MezonChannelRecord;
    if (channel.channel_type === TEXT_CHANNEL_TYPE && !listed.has(id) && !touched.has(`channels:${id}`))
      batch.deleteChannel(id);
  }
  await batch.commit();
}

/** Marks every cached clan stale, as one batch (the SDK stopped reconnecting). */
export async function markClansStale(context: MezonEventContext): Promise<void> {
  const { cache } = context;
  const batch = new EventBatch(cache);
  const ids: string[] = [];
  for await (const id of cache.guilds.keys()) ids.push(id);
  for (const id of ids) {
    const known = await batch.clan(id);
    if (known && !known.stale) batch.setClan({ ...known, stale: true });
  }
  await batch.commit();
}

/**
 * Relations read off a raw platform payload, for entries that arrive through a loader (which returns
 * only the payload). Discord says `guild_id`, Mezon `clan_id`; Mezon's clan "0" is the DM pseudo-clan.
 */

type Payload = Readonly<Record<string, unknown>>;

function id(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value !== '0' ? value : undefined;
}

export function guildIdOf(payload: Payload): string | undefined {
  return id(payload.guild_id) ?? id(payload.clan_id);
}

export function channelIdOf(payload: Payload): string | undefined {
  return id(payload.channel_id) ?? id((payload.channel as Payload | undefined)?.id);
}

export function authorIdOf(payload: Payload): string | undefined {
  return id((payload.author as Payload | undefined)?.id) ?? id(payload.sender_id);
}

/** An invite's absolute expiry from Discord's `expires_at` (ISO time), if any. */
export function expiresAtOf(payload: Payload): number | undefined {
  if (typeof payload.expires_at !== 'string') return undefined;
  const at = Date.parse(payload.expires_at);
  return Number.isFinite(at) ? at : undefined;
}

export function guildOfInvite(payload: Payload): string | undefined {
  return guildIdOf(payload) ?? id((payload.guild as Payload | undefined)?.id);
}

/** voice_joined_event / voice_leaved_event → voice states. */
import type { EventBatch } from './event-batch.js';
import { asPayload, requireClan, requireId, text } from './payload.js';
import type { MezonVoiceStateRecord } from './records.js';
import type { VoiceJoinedEvent, VoiceLeavedEvent } from './sdk-types.js';
import { ensureClan, type MezonEventContext } from './upserts.js';

export async function onVoiceJoined(
  _context: MezonEventContext,
  event: VoiceJoinedEvent,
  batch: EventBatch,
): Promise<void> {
  const payload = asPayload(event, 'voice_joined_event');
  const clanId = requireClan(payload, 'clan_id');
  const userId = requireId(payload, 'user_id');
  const channelId = requireId(payload, 'voice_channel_id');
  const state: MezonVoiceStateRecord = {
    clan_id: clanId,
    user_id: userId,
    voice_channel_id: channelId,
    ...(text(payload, 'voice_channel_label') !== undefined && {
      voice_channel_label: text(payload, 'voice_channel_label'),
    }),
    ...(text(payload, 'participant') !== undefined && { participant: text(payload, 'participant') }),
    ...(text(payload, 'id') !== undefined && { id: text(payload, 'id') }),
  };
  await ensureClan(batch, clanId, text(payload, 'clan_name'));
  batch.setVoiceState(state);
}

export async function onVoiceLeaved(
  _context: MezonEventContext,
  event: VoiceLeavedEvent,
  batch: EventBatch,
): Promise<void> {
  const payload = asPayload(event, 'voice_leaved_event');
  const clanId = requireClan(payload, 'clan_id');
  const userId = requireId(payload, 'voice_user_id');
  const channelId = text(payload, 'voice_channel_id');
  const known = await batch.voiceState(clanId, userId);
  // A late "left A" must not erase the state of a user who has since joined B.
  if (!known || (channelId !== undefined && known.voice_channel_id !== channelId)) return;
  batch.deleteVoiceState(clanId, userId);
}

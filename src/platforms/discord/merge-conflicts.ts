/**
 * Which cached entities a dispatch may write, as far as merges care: a merge joins a batch only when
 * no earlier dispatch of the batch may write its target, since its previous value is read before the
 * batch is written.
 */
import type { MergeTarget } from './handlers/handler-types.js';
import { isObject, type JsonObject } from './payload-checks.js';

const MEMBER_EVENTS = new Set(['GUILD_MEMBER_ADD', 'GUILD_MEMBER_UPDATE', 'GUILD_MEMBER_REMOVE']);
const MESSAGE_EVENTS = new Set(['MESSAGE_CREATE', 'MESSAGE_UPDATE', 'MESSAGE_DELETE']);

export function targetKey(target: MergeTarget): string {
  return target.kind === 'member' ? `m:${target.guildId}:${target.userId}` : `msg:${target.id}`;
}

/** The target keys a dispatch may write (`m:*` / `msg:*`: any of that kind). */
export function touchedKeys(t: string, d: JsonObject): string[] {
  if (MEMBER_EVENTS.has(t)) {
    const user = isObject(d.user) ? d.user.id : undefined;
    return [`m:${String(d.guild_id)}:${String(user)}`];
  }
  if (t === 'VOICE_STATE_UPDATE') return [`m:${String(d.guild_id)}:${String(d.user_id)}`];
  if (t === 'GUILD_MEMBERS_CHUNK') return ['m:*'];
  // A new message (a create, or an update that is a whole message) may push the oldest of its channel
  // over the cap: that eviction is a write too. A partial update re-writes a cached message in place.
  if (t === 'MESSAGE_CREATE' || (t === 'MESSAGE_UPDATE' && 'author' in d))
    return [`msg:${String(d.id)}`, `msgc:${String(d.channel_id)}`];
  if (MESSAGE_EVENTS.has(t)) return [`msg:${String(d.id)}`];
  if (t === 'MESSAGE_DELETE_BULK') return ['msg:*'];
  return [];
}

/** Whether a batch that wrote `touched` may have changed `target`. */
export function conflicts(touched: ReadonlySet<string>, target: MergeTarget): boolean {
  if (touched.has(targetKey(target)) || touched.has(target.kind === 'member' ? 'm:*' : 'msg:*')) return true;
  // An insert into the message's channel may have evicted it (per-channel cap) after the read.
  return (
    target.kind === 'message' && target.channelId !== undefined && touched.has(`msgc:${target.channelId}`)
  );
}

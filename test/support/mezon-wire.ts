/**
 * A generated Mezon event as the server sends it: the Envelope field named after the event, with the
 * channel message's JSON fields as strings and its times as protobuf Timestamps (Dates in ts-proto).
 */
import type { Envelope } from 'mezon-sdk/dist/cjs/rtapi/realtime.js';
import type { MezonStreamEvent } from './mezon-stream.js';

const JSON_FIELDS = ['content', 'mentions', 'attachments', 'reactions', 'references'] as const;
const TIME_FIELDS = ['create_time', 'update_time'] as const;

export function toEnvelope(event: MezonStreamEvent): Partial<Envelope> {
  if (event.name !== 'channel_message') return { [event.name]: event.payload } as Partial<Envelope>;
  const message: Record<string, unknown> = { ...event.payload };
  for (const field of JSON_FIELDS)
    if (message[field] !== undefined) message[field] = JSON.stringify(message[field]);
  for (const field of TIME_FIELDS)
    if (typeof message[field] === 'string') message[field] = new Date(message[field] as string);
  // The server names the message by `message_id`; the SDK's formatter derives `id` from it.
  delete message.id;
  return { channel_message: message } as unknown as Partial<Envelope>;
}

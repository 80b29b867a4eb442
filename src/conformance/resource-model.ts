/**
 * A plain in-memory model of the resource relations, for the property test: what the cache should
 * hold after a sequence of operations, written as simply as possible.
 */
export class ResourceModel {
  readonly guilds = new Map<string, object>();
  readonly channels = new Map<string, { value: object; guildId: string | undefined }>();
  /** key `${guildId}/${userId}` */
  readonly members = new Map<string, object>();
  readonly messages = new Map<string, { value: object; channelId: string; authorId: string | undefined }>();
  readonly users = new Map<string, object>();
  /** Per-channel message order: oldest link first. */
  readonly channelOrder = new Map<string, string[]>();

  constructor(private readonly maxPerChannel: number) {}

  setChannel(id: string, value: object, guildId: string | undefined): void {
    const kept = guildId ?? this.channels.get(id)?.guildId;
    this.channels.set(id, { value, guildId: kept });
  }

  deleteChannel(id: string): void {
    this.channels.delete(id);
    for (const messageId of [...(this.channelOrder.get(id) ?? [])]) this.deleteMessage(messageId);
  }

  deleteGuild(id: string): void {
    this.guilds.delete(id);
    for (const [channelId, channel] of [...this.channels])
      if (channel.guildId === id) this.deleteChannel(channelId);
    for (const key of [...this.members.keys()]) if (key.startsWith(`${id}/`)) this.members.delete(key);
  }

  setMessage(id: string, value: object, channelId: string, authorId: string | undefined): void {
    const previous = this.messages.get(id);
    if (previous && previous.channelId !== channelId) this.unorder(id, previous.channelId);
    this.messages.set(id, { value, channelId, authorId });
    const order = this.channelOrder.get(channelId) ?? [];
    if (!order.includes(id)) order.push(id);
    this.channelOrder.set(channelId, order);
    while (order.length > this.maxPerChannel) this.deleteMessage(order[0] as string);
  }

  deleteMessage(id: string): void {
    const message = this.messages.get(id);
    if (!message) return;
    this.messages.delete(id);
    this.unorder(id, message.channelId);
  }

  private unorder(id: string, channelId: string): void {
    const order = this.channelOrder.get(channelId) ?? [];
    const at = order.indexOf(id);
    if (at >= 0) order.splice(at, 1);
  }

  /** Members and messages referencing a user. */
  references(userId: string): number {
    let refs = 0;
    for (const key of this.members.keys()) if (key.endsWith(`/${userId}`)) refs++;
    for (const message of this.messages.values()) if (message.authorId === userId) refs++;
    return refs;
  }

  deleteUser(userId: string): void {
    for (const key of [...this.members.keys()]) if (key.endsWith(`/${userId}`)) this.members.delete(key);
    for (const [id, message] of [...this.messages]) if (message.authorId === userId) this.deleteMessage(id);
    this.users.delete(userId);
  }
}

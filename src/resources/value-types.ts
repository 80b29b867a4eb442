/** What a resource holds when no type is given: a raw JSON payload. */
export type Payload = Record<string, unknown>;

/**
 * The value type of each resource. `createCache<Types>()` takes a partial map; every resource left out
 * holds {@link Payload}. The Discord adapter passes discord-api-types payloads, the Mezon adapter
 * mezon-sdk's.
 */
export interface ResourceValueTypes {
  guilds?: object;
  channels?: object;
  roles?: object;
  emojis?: object;
  members?: object;
  users?: object;
  messages?: object;
  presences?: object;
  voiceStates?: object;
  invites?: object;
  me?: object;
}

/** The value type of resource `R` in a types map, {@link Payload} when not given. */
export type ValueOf<T extends ResourceValueTypes, R extends keyof ResourceValueTypes> = undefined extends T[R]
  ? Payload
  : NonNullable<T[R]>;

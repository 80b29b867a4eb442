import type {
  MezonChannel,
  MezonChannelMessage,
  MezonClan,
  MezonClanUser,
  MezonRole,
  MezonUser,
} from './mezon-shapes.js';

/** One simulated socket event of a Mezon bot session, in the words Mezon uses. */
export type GatewayEvent =
  | {
      /** The bot sees a clan at login (or is added to one): the clan with its channels, roles and users. */
      readonly type: 'clan_joined';
      readonly clan: MezonClan;
      readonly channels: readonly MezonChannel[];
      readonly roles: readonly MezonRole[];
      readonly members: readonly { readonly user: MezonUser; readonly member: MezonClanUser }[];
    }
  | { readonly type: 'add_clan_user'; readonly user: MezonUser; readonly member: MezonClanUser }
  | { readonly type: 'user_clan_removed'; readonly clanId: string; readonly userId: string }
  | { readonly type: 'role_updated'; readonly role: MezonRole }
  | { readonly type: 'channel_message'; readonly message: MezonChannelMessage };

export type GatewayEventType = GatewayEvent['type'];

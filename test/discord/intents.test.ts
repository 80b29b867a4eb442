import { GatewayIntentBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import {
  MissingIntentsWarning,
  missingIntents,
  requiredIntents,
  warnMissingIntents,
} from '../../src/platforms/discord/index.js';

describe('requiredIntents', () => {
  it('ORs the intents of the chosen resources', () => {
    expect(requiredIntents(['users', 'me'])).toBe(0);
    expect(requiredIntents(['members'])).toBe(GatewayIntentBits.Guilds | GatewayIntentBits.GuildMembers);
    expect(requiredIntents(['messages', 'voiceStates'])).toBe(
      GatewayIntentBits.GuildMessages |
        GatewayIntentBits.DirectMessages |
        GatewayIntentBits.Guilds |
        GatewayIntentBits.GuildVoiceStates,
    );
  });

  it('defaults to every resource (no privileged MESSAGE_CONTENT)', () => {
    const all = requiredIntents();
    for (const bit of [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMembers,
      GatewayIntentBits.GuildExpressions,
      GatewayIntentBits.GuildPresences,
      GatewayIntentBits.GuildVoiceStates,
      GatewayIntentBits.GuildInvites,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.DirectMessages,
    ]) {
      expect(all & bit).toBe(bit);
    }
    expect(all & GatewayIntentBits.MessageContent).toBe(0);
  });

  it('rejects unknown resource names with a TypeError that names them', () => {
    expect(() => requiredIntents(['guilds', 'stickers' as never])).toThrow(/unknown resource "stickers"/);
    expect(() => requiredIntents(42 as never)).toThrow(TypeError);
  });
});

describe('missing intents', () => {
  it('names each missing intent once (aliases collapse)', () => {
    expect(missingIntents(GatewayIntentBits.Guilds, ['members', 'presences', 'emojis'])).toEqual([
      'GuildMembers',
      'GuildExpressions',
      'GuildPresences',
    ]);
    expect(missingIntents(requiredIntents(['members']), ['members'])).toEqual([]);
    expect(() => missingIntents(-1)).toThrow(RangeError);
  });

  it('warns with the affected resources, and stays quiet when nothing is missing', () => {
    const warnings: MissingIntentsWarning[] = [];
    const missing = warnMissingIntents(GatewayIntentBits.Guilds, ['guilds', 'members'], (w) =>
      warnings.push(w),
    );
    expect(missing).toEqual(['GuildMembers']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toBeInstanceOf(MissingIntentsWarning);
    expect(warnings[0]?.resources).toEqual(['members']);
    expect(warnings[0]?.message).toMatch(/GuildMembers/);
    warnMissingIntents(requiredIntents(['guilds', 'members']), ['guilds', 'members'], (w) =>
      warnings.push(w),
    );
    expect(warnings).toHaveLength(1);
  });
});

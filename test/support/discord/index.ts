export { type FakeDiscord, type StartFakeDiscordOptions, startFakeDiscord } from './fake-discord.js';
export { FakeGateway, type FakeGatewayEvents, type GatewayScenario } from './fake-gateway.js';
export { FakeRest } from './fake-rest.js';
export { FakeWorld } from './fake-world.js';
export * from './payloads.js';
export { waitFor } from './wait-for.js';

/** What a Cluster traffic worker (cluster-traffic-worker.ts) is told and what it reports. */
export interface TrafficSpec {
  readonly role: 'writer' | 'reader';
  readonly rootNodes: readonly string[];
  readonly prefix: string;
  readonly guilds: number;
  readonly membersPerGuild: number;
  readonly lanes: number;
  readonly durationMs: number;
  readonly commandTimeout: number;
}

export interface TrafficReport {
  readonly role: 'writer' | 'reader';
  readonly ok: number;
  readonly failed: number;
  /** [ms since epoch, ok?, guild] per call. */
  readonly calls: readonly (readonly [number, 0 | 1, number])[];
  /** Writer: [key, seq, ack time] per acknowledged write. Reader: [key, seq, read start] per read. */
  readonly log: readonly (readonly [string, number, number])[];
  readonly errorKinds: Readonly<Record<string, number>>;
  readonly closeMs: number;
}

export const memberKey = (guild: number, member: number): string => `{g${guild}}:${member}`;

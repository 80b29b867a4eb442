/**
 * Judges one Cluster fault run from the traffic workers' logs and the final state: errors, recovery
 * time, acknowledged writes lost or torn (an entry its guild index does not hold) and the
 * stale-read window (how much older than the newest acknowledged write a read could be).
 */
import type { RedisStore } from '../../src/store/redis/index.js';
import { memberKey, type TrafficReport } from './cluster-traffic.js';

export interface FaultVerdict {
  readonly writes: number;
  readonly writeErrors: number;
  readonly reads: number;
  readonly readErrors: number;
  /** From the fault to the last failed call before `until` (0 if nothing failed). */
  readonly recoveryMs: number;
  /** Longest time one guild went without a successful call after the fault. */
  readonly longestGuildGapMs: number;
  readonly lostAcknowledged: number;
  /** Entries whose guild index does not hold them (the half of a write a failover tore off). */
  readonly tornEntries: number;
  /** Largest age of a read's value behind a write acknowledged before the read started. */
  readonly staleReadMs: number;
  readonly errorKinds: Readonly<Record<string, number>>;
  readonly closeMs: number;
}

export interface VerdictInput {
  readonly writer: TrafficReport;
  readonly reader?: TrafficReport;
  readonly faultAt: number;
  /** Failures after this instant (a thaw, a restart) are not counted in the recovery time. */
  readonly until?: number;
  readonly guilds: number;
  readonly membersPerGuild: number;
}

export async function judge(store: RedisStore, input: VerdictInput): Promise<FaultVerdict> {
  const { writer, reader, faultAt } = input;
  const until = input.until ?? Number.POSITIVE_INFINITY;
  const all = [...writer.calls, ...(reader?.calls ?? [])];
  let lastFailure = faultAt;
  for (const [at, ok] of all) if (!ok && at >= faultAt && at < until && at > lastFailure) lastFailure = at;

  let longestGuildGapMs = 0;
  for (let g = 0; g < input.guilds; g++) {
    const successes = writer.calls.filter(([at, ok, guild]) => ok && guild === g && at >= faultAt);
    let previous = faultAt;
    for (const [at] of successes) {
      longestGuildGapMs = Math.max(longestGuildGapMs, at - previous);
      previous = at;
    }
  }

  const newestAck = new Map<string, number>();
  const acksByKey = new Map<string, [number, number][]>();
  for (const [key, seq, at] of writer.log) {
    newestAck.set(key, Math.max(newestAck.get(key) ?? 0, seq));
    const list = acksByKey.get(key) ?? [];
    list.push([seq, at]);
    acksByKey.set(key, list);
  }

  let staleReadMs = 0;
  for (const [key, seq, startedAt] of reader?.log ?? []) {
    // The first write acknowledged before the read started that is newer than what the read saw.
    const newer = acksByKey.get(key)?.find(([s, at]) => s > seq && at < startedAt);
    if (newer) staleReadMs = Math.max(staleReadMs, startedAt - newer[1]);
  }

  let lostAcknowledged = 0;
  let tornEntries = 0;
  for (let g = 0; g < input.guilds; g++) {
    const link = { by: 'guild', parent: `g${g}` };
    for (let m = 0; m < input.membersPerGuild; m++) {
      const key = memberKey(g, m);
      const value = await store.get<{ seq: number }>('members', key);
      if ((value?.seq ?? 0) < (newestAck.get(key) ?? 0)) lostAcknowledged++;
      if (value !== undefined && !(await store.indexHas('members', link, key))) tornEntries++;
    }
  }

  return {
    writes: writer.ok,
    writeErrors: writer.failed,
    reads: reader?.ok ?? 0,
    readErrors: reader?.failed ?? 0,
    recoveryMs: lastFailure - faultAt,
    longestGuildGapMs,
    lostAcknowledged,
    tornEntries,
    staleReadMs,
    errorKinds: { ...writer.errorKinds, ...Object.fromEntries(Object.entries(reader?.errorKinds ?? {})) },
    closeMs: Math.max(writer.closeMs, reader?.closeMs ?? 0),
  };
}

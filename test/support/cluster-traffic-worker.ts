/**
 * One traffic process of the Cluster fault suite: `node --import tsx cluster-traffic-worker.ts '<json>'`.
 *
 * A writer overwrites a fixed set of guild members (each key owned by one lane, so its writes are in
 * order) with a rising `seq`, and logs every acknowledged write. A reader reads the same keys and logs
 * the seq it saw. Both log each call's outcome with its time, run for `durationMs`, then print one JSON
 * report and exit; the test judges losses, tears and stale reads from the logs and the final state.
 */
import { RedisStore } from '../../src/store/redis/index.js';
import { memberKey, type TrafficReport, type TrafficSpec } from './cluster-traffic.js';

const spec = JSON.parse(process.argv[2] ?? '{}') as TrafficSpec;
const store = new RedisStore({
  cluster: { rootNodes: spec.rootNodes },
  prefix: spec.prefix,
  commandTimeout: spec.commandTimeout,
});
store.on('error', () => {});
await store.open();
process.stdout.write('started\n');

const calls: [number, 0 | 1, number][] = [];
const log: [string, number, number][] = [];
const errorKinds: Record<string, number> = {};
let ok = 0;
let failed = 0;
const end = Date.now() + spec.durationMs;
const keys: [number, string][] = [];
for (let g = 0; g < spec.guilds; g++) {
  for (let m = 0; m < spec.membersPerGuild; m++) keys.push([g, memberKey(g, m)]);
}

function kindOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\d+/g, 'N').slice(0, 90);
}

async function lane(index: number): Promise<void> {
  const mine = keys.filter((_, i) => i % spec.lanes === index);
  let seq = 0;
  for (let n = 0; Date.now() < end; n++) {
    const [guild, key] = mine[n % mine.length] as [number, string];
    const started = Date.now();
    try {
      if (spec.role === 'writer') {
        seq++;
        await store.set('members', key, { guild, seq }, { indexes: [{ by: 'guild', parent: `g${guild}` }] });
        log.push([key, seq, Date.now()]);
      } else {
        const value = await store.get<{ seq: number }>('members', key);
        log.push([key, value?.seq ?? 0, started]);
      }
      ok++;
      calls.push([Date.now(), 1, guild]);
    } catch (error) {
      failed++;
      calls.push([Date.now(), 0, guild]);
      const kind = kindOf(error);
      errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
      // A failing slot must not spin: the real bot would back off too.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

await Promise.all(Array.from({ length: spec.lanes }, (_, i) => lane(i)));
const closing = Date.now();
await store.close();
const report: TrafficReport = {
  role: spec.role,
  ok,
  failed,
  calls,
  log,
  errorKinds,
  closeMs: Date.now() - closing,
};
// Exit only once the pipe took the whole report (exiting at once would cut it).
process.stdout.write(`${JSON.stringify(report)}\n`, () => process.exit(0));

/**
 * The two pure parts of distributed ingest: the publisher's cross-partition order of shared entities
 * (which earlier entries of other partitions an entry names in `after`), and a partition's recorded
 * progress (prefix in stream order, applied entries beyond it, what a new owner skips).
 */
import { describe, expect, it } from 'vitest';
import { PartitionProgress } from '../../src/platforms/discord/brokers/partition-progress.js';
import { PublishOrder } from '../../src/platforms/discord/brokers/publish-order.js';
import {
  createIngestPublisher,
  type IngestEnvelope,
  orderKeyOf,
  partitionOf,
} from '../../src/platforms/discord/index.js';

describe('PublishOrder', () => {
  it('orders a user written in two partitions, and leaves same-partition order to the stream', () => {
    const order = new PublishOrder(4, 100);
    expect(order.next(0, ['u:1'])).toEqual({ seq: 1, after: undefined });
    expect(order.next(0, ['u:1'])).toEqual({ seq: 2, after: undefined });
    expect(order.next(1, ['u:1'])).toEqual({ seq: 1, after: { '0': 2 } });
    expect(order.next(2, ['u:2'])).toEqual({ seq: 1, after: undefined });
    expect(order.next(2, [])).toEqual({ seq: 2, after: undefined });
    expect(order.next(3, ['u:1', 'u:2'])).toEqual({ seq: 1, after: { '1': 1, '2': 1 } });
  });

  it('a barrier comes after every earlier shared write, and later writes of any user after it', () => {
    const order = new PublishOrder(3, 100);
    order.next(0, ['u:1']);
    order.next(1, ['u:2']);
    order.next(1, ['u:3']);
    expect(order.next(2, ['*'])).toEqual({ seq: 1, after: { '0': 1, '1': 2 } });
    // u:1 was last written before the barrier: the barrier now stands for it.
    expect(order.next(0, ['u:1'])).toEqual({ seq: 2, after: { '2': 1 } });
    expect(order.next(1, ['u:9'])).toEqual({ seq: 3, after: { '2': 1 } });
    expect(order.next(1, ['u:1'])).toEqual({ seq: 4, after: { '0': 2 } });
  });

  it('a forgotten user is ordered after every forgotten writer (conservative, never too early)', () => {
    const order = new PublishOrder(3, 1);
    order.next(0, ['u:1']);
    order.next(1, ['u:2']); // forgets u:1 (partition 0, seq 1)
    expect(order.next(2, ['u:1'])).toEqual({ seq: 1, after: { '0': 1 } });
  });
});

describe('PartitionProgress', () => {
  it('moves its prefix in stream order and records applied entries beyond it', () => {
    const progress = new PartitionProgress(undefined);
    const a = progress.track('1-0', 'p', 1, false);
    const b = progress.track('2-0', 'p', 2, false);
    const c = progress.track('3-0', 'p', 3, false);
    b();
    c();
    expect(progress.advance()).toEqual([]);
    expect(progress.record()).toEqual({ p: [0, 2, 3] });
    a();
    expect(progress.advance()).toEqual(['1-0', '2-0', '3-0']);
    expect(progress.record()).toEqual({ p: [3] });
    expect(progress.drained).toBe(true);
  });

  it('a new owner skips what the previous one recorded, and keeps that record until its prefix passes it', () => {
    const progress = new PartitionProgress({ p: [5, 7, 9], old: [2] });
    expect(progress.recordedApplied('p', 4)).toBe(true);
    expect(progress.recordedApplied('p', 6)).toBe(false);
    expect(progress.recordedApplied('p', 7)).toBe(true);
    expect(progress.recordedApplied('q', 1)).toBe(false);
    expect(progress.record()).toEqual({ p: [5, 7, 9], old: [2] });
    progress.track('6-0', 'p', 6, false)();
    progress.track('7-0', 'p', 7, true);
    progress.advance();
    expect(progress.record()).toEqual({ p: [7, 9], old: [2] });
  });
});

describe('createIngestPublisher', () => {
  it('publishes each dispatch to its guild partition with its numbers, through the broker', async () => {
    const sent: [string, IngestEnvelope][] = [];
    const publisher = createIngestPublisher(
      { publish: async (event, data) => void sent.push([event, data]) },
      { partitions: 4, stream: 's', publisher: 'pX' },
    );
    const user = { id: '10', username: 'a' };
    await publisher.publish({ t: 'GUILD_MEMBER_ADD', s: 3, d: { guild_id: '1', user } });
    await publisher.publish({ t: 'GUILD_MEMBER_UPDATE', s: 4, d: { guild_id: '1', user, roles: [] } });
    await publisher.publish({ t: 'TYPING_START', s: 5, d: { channel_id: '7', user_id: '10' } });
    await publisher.publish('not a dispatch');
    const p1 = partitionOf(orderKeyOf('GUILD_MEMBER_ADD', { guild_id: '1' }), 4);
    expect(sent.map(([event]) => event)).toEqual([`s:${p1}`, `s:${p1}`, `s:${partitionOf('c:7', 4)}`]);
    expect(sent[1]![1]).toEqual({
      dispatch: { t: 'GUILD_MEMBER_UPDATE', s: 4, d: { guild_id: '1', user, roles: [] } },
      publisher: 'pX',
      seq: 2,
    });
    expect(publisher.published).toBe(3);
    expect(() => createIngestPublisher({ publish: async () => {} }, { partitions: 0 })).toThrow(RangeError);
  });
});

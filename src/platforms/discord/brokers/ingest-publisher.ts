/**
 * The gateway side of distributed ingest: each dispatch is published through an @discordjs/brokers
 * `PubSubRedisBroker` to the stream of its guild's partition, wrapped in an {@link IngestEnvelope}
 * that numbers it and names the entries of other partitions it must be applied after.
 */
import { randomBytes } from 'node:crypto';
import { isObject } from '../payload-checks.js';
import { sharedKeysOf } from '../shared-write-order.js';
import {
  type IngestEnvelope,
  type IngestStreamOptions,
  orderKeyOf,
  partitionOf,
  partitionStream,
  streamOptions,
} from './ingest-envelope.js';
import { PublishOrder } from './publish-order.js';

/**
 * The part of an @discordjs/brokers `PubSubRedisBroker` the publisher uses (written out, so the types
 * hold without the package installed). `publish(event, data)` XADDs `data`, encoded by the broker, to
 * the stream named `event`.
 */
export interface DispatchBrokerLike {
  publish(event: string, data: IngestEnvelope): Promise<unknown>;
}

export interface IngestPublisherOptions extends IngestStreamOptions {
  /** This process's id in envelopes. Default: random. Two live publishers must not share one. */
  readonly publisher?: string;
  /** How many users' last writers are remembered (older ones are ordered conservatively). Default 100 000. */
  readonly rememberUsers?: number;
}

export interface IngestPublisher {
  readonly publisher: string;
  readonly partitions: number;
  /**
   * Publishes one dispatch (a gateway payload, or `{ t, d, s }`). Calls are ordered: call it in the
   * order the gateway delivered the dispatches, without awaiting each if you like (the broker's
   * client pipelines them in call order). Payloads without a string `t` are not published.
   */
  publish(dispatch: unknown): Promise<void>;
  /** Entries published. */
  readonly published: number;
}

export function createIngestPublisher(
  broker: DispatchBrokerLike,
  options: IngestPublisherOptions = {},
): IngestPublisher {
  if (typeof broker !== 'object' || broker === null || typeof broker.publish !== 'function') {
    throw new TypeError('broker must be an @discordjs/brokers PubSubRedisBroker');
  }
  const { stream, partitions } = streamOptions(options);
  const remember = options.rememberUsers ?? 100_000;
  if (!Number.isInteger(remember) || remember < 0) {
    throw new RangeError(`rememberUsers must be a non-negative integer (got ${String(remember)})`);
  }
  const publisher = options.publisher ?? `p${randomBytes(6).toString('hex')}`;
  const order = new PublishOrder(partitions, remember);
  let published = 0;
  return {
    publisher,
    partitions,
    get published() {
      return published;
    },
    async publish(payload: unknown): Promise<void> {
      if (!isObject(payload) || typeof payload.t !== 'string') return;
      const { t, d } = payload;
      const s = typeof payload.s === 'number' ? payload.s : null;
      const partition = partitionOf(orderKeyOf(t, d), partitions);
      const { seq, after } = order.next(partition, isObject(d) ? sharedKeysOf(t, d) : []);
      const envelope: IngestEnvelope = {
        dispatch: { t, d, s },
        publisher,
        seq,
        ...(after === undefined ? {} : { after }),
      };
      published += 1;
      await broker.publish(partitionStream(stream, partition), envelope);
    },
  };
}

import { createClient } from '@redis/client';
import { keySlot } from './key-slot.js';

/** Connection settings shared by every node of a Cluster (the URL's host and port are replaced). */
export interface SlotOwnerOptions {
  readonly username?: string;
  readonly password?: string;
  /** Longest wait for one node's answer (connect, handshake and CLUSTER SLOTS together). */
  readonly timeout: number;
}

/**
 * Finds which master serves a key's slot, asking seed nodes and every node learnt from earlier answers
 * in turn, each bounded in time: a dead or frozen node costs at most `timeout`, never a hang. Used by
 * connections that must sit on one slot's master (sharded pub/sub), which the cluster client's own
 * routing does not give.
 */
export class SlotOwnerFinder {
  readonly #seeds: readonly string[];
  readonly #options: SlotOwnerOptions;
  /** host:port of every node seen in an answer, asked after the seeds. */
  readonly #learnt = new Set<string>();

  constructor(seeds: readonly string[], options: SlotOwnerOptions) {
    this.#seeds = seeds;
    this.#options = options;
  }

  /** The URL (scheme and credentials of the seeds) of the master serving `key`'s slot now. */
  async ownerOf(key: string, avoid?: string): Promise<string> {
    const slot = keySlot(key);
    const template = new URL(this.#seeds[0] as string);
    const candidates = [...this.#seeds, ...[...this.#learnt].map((address) => urlAt(template, address))];
    // A node that just failed is asked last: it may be the frozen one.
    candidates.sort((a, b) => Number(a === avoid) - Number(b === avoid));
    const failures: string[] = [];
    for (const candidate of new Set(candidates)) {
      try {
        const owner = await this.#ask(candidate, slot);
        if (owner) return urlAt(template, owner);
        failures.push(`${hostPort(candidate)}: slot ${slot} not served`);
      } catch (error) {
        failures.push(`${hostPort(candidate)}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    throw new Error(`no Cluster node named the master of slot ${slot} (${failures.join('; ')})`);
  }

  async #ask(url: string, slot: number): Promise<string | undefined> {
    const client = createClient({
      url,
      ...(this.#options.username !== undefined ? { username: this.#options.username } : {}),
      ...(this.#options.password !== undefined ? { password: this.#options.password } : {}),
      socket: {
        connectTimeout: this.#options.timeout,
        socketTimeout: this.#options.timeout,
        reconnectStrategy: false,
      },
    });
    client.on('error', () => {}); // the rejection below reports it
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer in ${this.#options.timeout} ms`)),
        this.#options.timeout,
      );
    });
    try {
      const answer = (async () => {
        await client.connect();
        return (await client.sendCommand(['CLUSTER', 'SLOTS'])) as unknown[];
      })();
      answer.catch(() => {});
      const ranges = await Promise.race([answer, late]);
      let owner: string | undefined;
      for (const range of ranges as [number, number, ...unknown[][]][]) {
        const [from, to, ...nodes] = range;
        for (const node of nodes) {
          const host = String(node[0] || new URL(url).hostname);
          this.#learnt.add(`${host}:${Number(node[1])}`);
        }
        const master = nodes[0];
        if (master && slot >= Number(from) && slot <= Number(to)) {
          owner = `${String(master[0] || new URL(url).hostname)}:${Number(master[1])}`;
        }
      }
      return owner;
    } finally {
      clearTimeout(timer);
      client.destroy();
    }
  }
}

/** `template` with its host and port replaced by `address` (host:port). */
function urlAt(template: URL, address: string): string {
  const colon = address.lastIndexOf(':');
  const url = new URL(template.toString());
  url.hostname = address.slice(0, colon);
  url.port = address.slice(colon + 1);
  return url.toString();
}

/** host:port of a URL, for messages (never the credentials). */
function hostPort(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port}`;
  } catch {
    return '(unparseable url)';
  }
}

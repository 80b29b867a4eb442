/**
 * One writer process of the user-expiry concurrency test:
 * `node --import tsx user-expiry-worker.ts <connection JSON> <prefix> <seed> <ops>`, where the connection
 * is `{ "url": ... }` (standalone) or `{ "cluster": { "rootNodes": [...] } }`. Runs the reference
 * workload with a few operations in flight, then prints one JSON line of counts.
 */
import { createCache } from '../../../src/resources/create-cache.js';
import { RedisStore, type RedisStoreOptions } from '../../../src/store/redis/index.js';
import { prng } from './guild-churn.js';
import { REFERENCE_SHAPE, referenceStep } from './user-references.js';

const [connectionText, prefix, seedText, opsText] = process.argv.slice(2);
const connection = JSON.parse(connectionText ?? '{}') as Pick<RedisStoreOptions, 'url' | 'cluster'>;
const seed = Number(seedText);
const total = Number(opsText);
const store = new RedisStore({ ...connection, prefix: prefix as string, commandTimeout: 30_000 });
const cache = createCache({ store });
const random = prng(seed);
let done = 0;
let errors = 0;
const firstErrors: string[] = [];

async function lane(): Promise<void> {
  while (done < total) {
    done++;
    try {
      await referenceStep(cache, random, REFERENCE_SHAPE, `w${seed}-${done}`);
    } catch (error) {
      errors++;
      if (firstErrors.length < 5) firstErrors.push(String(error));
    }
  }
}

await Promise.all([lane(), lane(), lane(), lane()]);
await cache.close();
await store.close();
process.stdout.write(`${JSON.stringify({ seed, done, errors, firstErrors })}\n`);

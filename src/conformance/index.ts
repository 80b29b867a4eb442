/**
 * `botcache/conformance`: the test suites every store (and every resource cache over it) must pass.
 * They register vitest tests; vitest is needed only where they run.
 */

// The groups of the store suite, for a store that implements only part of the contract (e.g. KeyvStore).
export { basicTests } from './basic-tests.js';
export { batchTests } from './batch-tests.js';
export { collect, type StoreConformanceOptions, type SuiteContext, sleep } from './context.js';
export { indexTests } from './index-tests.js';
export { iterationTests } from './iteration-tests.js';
export { lifecycleTests } from './lifecycle-tests.js';
export { limitTests } from './limit-tests.js';
export type { ResourceConformanceOptions, ResourceSuiteContext } from './resource-context.js';
export { resourceConformance } from './resource-suite.js';
export { storeConformance } from './store-suite.js';
export { ttlTests } from './ttl-tests.js';
export { valueSizeTests } from './value-size-tests.js';

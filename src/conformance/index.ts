/**
 * `botcache/conformance`: the test suites every store (and every resource cache over it) must pass.
 * They register vitest tests; vitest is needed only where they run.
 */
export { collect, type StoreConformanceOptions, type SuiteContext, sleep } from './context.js';
export { storeConformance } from './store-suite.js';

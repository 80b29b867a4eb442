/**
 * `botcache/conformance`: the test suites every store (and every resource cache over it) must pass.
 * They register vitest tests; vitest is needed only where they run.
 */
export { collect, type StoreConformanceOptions, type SuiteContext, sleep } from './context.js';
export type { ResourceConformanceOptions, ResourceSuiteContext } from './resource-context.js';
export { resourceConformance } from './resource-suite.js';
export { storeConformance } from './store-suite.js';

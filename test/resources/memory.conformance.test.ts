import { resourceConformance } from '../../src/conformance/index.js';
import { MemoryStore } from '../../src/store/index.js';

resourceConformance('MemoryStore', { create: () => new MemoryStore(), propertyRuns: 150 });

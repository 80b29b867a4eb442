import { storeConformance } from '../../src/conformance/index.js';
import { MemoryStore } from '../../src/store/index.js';

storeConformance('MemoryStore', { create: () => new MemoryStore() });

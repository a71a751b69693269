// Vector tests use the same light-cache source as the miner; the vectors check it.
export { generateLightCache as lightCache } from '../../src/backends/light-hasher.js';

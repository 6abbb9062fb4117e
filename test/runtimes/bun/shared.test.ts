// The shared behavioural suite on Bun: `bun test test/runtimes/bun/`.
import { registerSharedSuite } from '../shared/node-test.ts';

registerSharedSuite('bun');

// The shared behavioural suite on Deno: `deno test -A test/runtimes/deno/`.
import { registerSharedSuite } from '../shared/node-test.ts';

registerSharedSuite('deno');

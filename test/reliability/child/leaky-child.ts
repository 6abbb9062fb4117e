// The control for abort-child: a middleware that leaves a timer behind keeps this process
// alive after its work is done, and the parent must notice.
import { createClient, defineMiddleware } from '../../../src/index.ts';

const leaky = defineMiddleware(async function leaky(request, next) {
  setTimeout(() => {}, 10_000);
  return next(request);
}, { name: 'leaky' });
const response = await createClient([leaky])(`${process.argv[2]!}/ok`);
await response.arrayBuffer();
process.stdout.write(`${JSON.stringify({ done: true, resources: process.getActiveResourcesInfo() })}\n`);

// The gateway as deployed (gateway/main.ts), plus what only the subscription benchmark needs: its
// heap after a full garbage collection, on a port of its own (BENCH_HEAP_PORT, loopback only), so
// the heap an idle subscription holds can be told from garbage not yet collected. Run with
// --expose-gc; without it the figure is the heap as it stands.
import '../../gateway/main';
import { createServer } from 'node:http';
import { writeHeapSnapshot } from 'node:v8';

const port = Number(process.env.BENCH_HEAP_PORT);
if (!Number.isInteger(port) || port <= 0) throw new Error('BENCH_HEAP_PORT must name the port of the heap probe');

const collect = (globalThis as { gc?: () => void }).gc;
createServer((request, response) => {
  // Twice: the first collection can leave what finalizers free for the second.
  collect?.();
  collect?.();
  // `?snapshot=PATH`: a V8 heap snapshot there too (for finding what a subscription holds; slow).
  const snapshotPath = new URL(request.url ?? '/', 'http://probe').searchParams.get('snapshot');
  if (snapshotPath) writeHeapSnapshot(snapshotPath);
  response.setHeader('content-type', 'application/json');
  response.end(JSON.stringify({ heapUsedBytes: process.memoryUsage().heapUsed, collected: Boolean(collect) }));
})
  .listen(port, '127.0.0.1')
  // The probe must not keep the gateway alive when it is told to stop.
  .unref();

// First import of the gateway process: tracing is set up before node:http loads (shared/tracing.ts).
import { startTracing } from '../shared/tracing';

startTracing('gateway', { startsTraces: true });

// First import of the settlement process: tracing is set up before pg and node:http load (shared/tracing.ts).
import { startTracing } from '../../shared/tracing';

startTracing('settlement', { startsTraces: false });

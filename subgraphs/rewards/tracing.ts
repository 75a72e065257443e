// First import of the rewards process: tracing is set up before pg and node:http load (shared/tracing.ts).
import { startTracing } from '../../shared/tracing';

startTracing('rewards', { startsTraces: false });

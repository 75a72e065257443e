// First import of the members process: tracing is set up before pg and node:http load (shared/tracing.ts).
import { startTracing } from '../../shared/tracing';

startTracing('members', { startsTraces: false });

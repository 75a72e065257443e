import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

/**
 * CPU time and memory of one competitor process, read from Linux's /proc: what the process itself
 * spent, whatever else shares the machine (the subgraphs, PostgreSQL, the load generator).
 */

/** Kernel clock ticks per second, the unit of utime and stime in /proc/<pid>/stat. */
const CLOCK_TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100; // Linux's value on every common architecture
  }
})();

/** User plus system CPU time the process has used since it started, in milliseconds. */
export function cpuTimeMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 (utime) and 15 (stime) of proc(5), numbered from 1, i.e. 11 and 12 after field 2.
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);
  if (!Number.isFinite(userTicks) || !Number.isFinite(systemTicks)) throw new Error(`cannot read CPU time of process ${pid}`);
  return ((userTicks + systemTicks) * 1000) / CLOCK_TICKS_PER_SECOND;
}

function statusKilobytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]);
}

/** How often the resident set is sampled when the kernel's peak cannot be reset. */
const RSS_SAMPLE_INTERVAL_MS = 50;

/**
 * Watches a process's peak resident set size over a stretch of time (a round). The kernel keeps
 * the peak itself (VmHWM), exact and free; writing 5 to clear_refs resets it to the current RSS,
 * so the peak is this round's, not start-up's. Where that is not allowed, VmRSS is sampled.
 */
export function watchPeakRss(pid: number): { stop(): number } {
  let kernelPeak = true;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    kernelPeak = false;
  }
  let sampledPeakKb = statusKilobytes(pid, 'VmRSS');
  const sampler = kernelPeak
    ? null
    : setInterval(() => {
        sampledPeakKb = Math.max(sampledPeakKb, statusKilobytes(pid, 'VmRSS'));
      }, RSS_SAMPLE_INTERVAL_MS);
  return {
    /** The peak in bytes since the watch began. */
    stop() {
      if (sampler) clearInterval(sampler);
      const peakKb = kernelPeak ? statusKilobytes(pid, 'VmHWM') : Math.max(sampledPeakKb, statusKilobytes(pid, 'VmRSS'));
      return peakKb * 1024;
    },
  };
}

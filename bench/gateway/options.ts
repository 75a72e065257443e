/**
 * A benchmark's numeric command-line option: its value, or `fallback` when not given; a value that
 * is not a number of at least `min` stops the run with the message and the benchmark's `usage`.
 * Shared by the gateway, subscription and ledger benchmarks.
 */
export function numberOption(usage: string) {
  return (name: string, raw: string | undefined, fallback: number, min: number): number => {
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number of at least ${min}, got "${raw}"\n${usage}`);
    return value;
  };
}

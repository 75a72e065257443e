// `npx tsx bench/subscriptions/heapDiff.ts BEFORE.heapsnapshot AFTER.heapsnapshot [--per N] [--top 30] [--expand TYPE]`:
// what the gateway's heap gained between two snapshots, by constructor (or node type for strings,
// closures, arrays...; `--expand code` splits one such type by name), largest first. With the benchmark's `--heap-snapshots PREFIX` and `--per`
// the subscriptions opened between them, it shows what one idle subscription holds, to aim at.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

interface Tally {
  count: number;
  bytes: number;
}

/** Live objects by constructor name (objects) or by node type and name (closures, code, ...). */
function tally(path: string, expand: string | undefined): Map<string, Tally> {
  const heap = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  const fields = heap.snapshot.meta.node_fields;
  const types = heap.snapshot.meta.node_types[0];
  const stride = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const byKey = new Map<string, Tally>();
  for (let i = 0; i < heap.nodes.length; i += stride) {
    const type = types[heap.nodes[i + typeAt]!]!;
    const name = heap.strings[heap.nodes[i + nameAt]!]!;
    // Strings and numbers are named by their value: grouping them by type says more.
    const key =
      type === 'object' || type === 'closure' || type === expand
        ? `${type} ${name.slice(0, 60)}`
        : type === 'native'
          ? `native ${name.slice(0, 40)}`
          : type;
    const entry = byKey.get(key) ?? { count: 0, bytes: 0 };
    entry.count += 1;
    entry.bytes += heap.nodes[i + sizeAt]!;
    byKey.set(key, entry);
  }
  return byKey;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { per: { type: 'string', default: '1' }, top: { type: 'string', default: '30' }, expand: { type: 'string' } },
});
if (positionals.length !== 2) {
  console.error(
    'usage: npx tsx bench/subscriptions/heapDiff.ts BEFORE.heapsnapshot AFTER.heapsnapshot [--per N] [--top 30] [--expand TYPE]',
  );
  process.exit(2);
}
const per = Number(values.per);
const before = tally(positionals[0]!, values.expand);
const after = tally(positionals[1]!, values.expand);
const rows = [...after].map(([key, { count, bytes }]) => {
  const was = before.get(key) ?? { count: 0, bytes: 0 };
  return { key, count: (count - was.count) / per, bytes: (bytes - was.bytes) / per };
});
rows.sort((a, b) => b.bytes - a.bytes);
const totalBytes = rows.reduce((sum, row) => sum + row.bytes, 0);
console.log(`self size gained per ${per === 1 ? 'snapshot' : `one of ${per}`}: ${(totalBytes / 1024).toFixed(2)} KB`);
console.log('bytes      objects  what');
for (const row of rows.slice(0, Number(values.top)))
  console.log(`${row.bytes.toFixed(0).padStart(8)}  ${row.count.toFixed(2).padStart(8)}  ${row.key}`);

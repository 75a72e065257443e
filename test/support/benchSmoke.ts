import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * Runs a benchmark's smoke mode as a person would (`npm run <script> -- --smoke`, here
 * `node --import tsx bench/<name>/main.ts --smoke --json FILE`), on a database of its own on the
 * test server: the benchmark creates and drops it. Throws with everything it printed unless it
 * exits 0; otherwise returns what it printed and the figures it wrote as JSON.
 */
export async function runBenchSmoke<Figures>(name: string): Promise<{ output: string; figures: Figures }> {
  const dir = mkdtempSync(join(tmpdir(), `coalition-bench-${name}-`));
  try {
    const jsonPath = join(dir, 'smoke.json');
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', `bench/${name}/main.ts`, '--smoke', '--json', jsonPath], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: process.env.TEST_DATABASE_URL },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.once('error', reject);
      child.once('exit', (exitCode) => resolve({ code: exitCode, output: text }));
    });
    if (code !== 0) throw new Error(`bench/${name} --smoke exited with ${code}:\n${output}`);
    return { output, figures: JSON.parse(readFileSync(jsonPath, 'utf8')) as Figures };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

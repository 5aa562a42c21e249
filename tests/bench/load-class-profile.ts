/**
 * `npx tsx tests/bench/load-class-profile.ts <dir>`: where the server's CPU time went, from the
 * V8 CPU profiles (`.cpuprofile`) a profiled `npm run load:class` leaves behind:
 *
 *   APP_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" LOAD_CLASS_STEPS=3000 npm run load:class
 *   npx tsx tests/bench/load-class-profile.ts /tmp/prof
 *
 * For each profile (the server's main thread, its answer worker) it prints the share of sampled
 * time by category (idle, garbage collection, Next/React, Prisma, SQLite driver, pino, the app's
 * own code, Node internals) and the functions with the most self time.
 *
 * `--last SECONDS` keeps only the samples of each profile's last SECONDS (ending where the
 * server stopped), so a ramped run is read at its largest step, the limit:
 *
 *   npx tsx tests/bench/load-class-profile.ts /tmp/prof --last 60
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function category(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)') return 'V8 / native (program)';
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packageMatch) {
    const name = packageMatch[1]!;
    if (name === 'next' || name.startsWith('react')) return 'Next.js / React';
    if (name.startsWith('@prisma') || name === 'prisma') return 'Prisma';
    if (name === 'better-sqlite3') return 'SQLite driver';
    if (name === 'pg' || name.startsWith('pg-')) return 'PostgreSQL driver';
    if (name.startsWith('pino') || name === 'sonic-boom') return 'pino (logs)';
    if (name === 'zod') return 'zod (parsing)';
    return `other packages (${name})`;
  }
  if (/\.next[^/]*\/server\//.test(url)) return "the app's own code (compiled)";
  if (url.startsWith('node:') || url === '' || !url.includes('/')) return 'Node.js internals';
  return 'other';
}

function summarise(file: string, lastMicros: number): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfTime = new Map<number, number>();
  // Each sample's delta is the time since the previous one; from the end, keep lastMicros' worth.
  let kept = 0;
  for (let index = profile.samples.length - 1; index >= 0 && kept < lastMicros; index--) {
    const id = profile.samples[index]!;
    const delta = profile.timeDeltas[index] ?? 0;
    kept += delta;
    selfTime.set(id, (selfTime.get(id) ?? 0) + delta);
  }
  const total = [...selfTime.values()].reduce((sum, value) => sum + value, 0);
  const categories = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, micros] of selfTime) {
    const node = byId.get(id)!;
    const name = category(node);
    categories.set(name, (categories.get(name) ?? 0) + micros);
    const where = node.callFrame.url.replace(/^.*node_modules\//, '').replace(/^.*\/\.next[^/]*\//, '.next/');
    const label = `${node.callFrame.functionName || '(anonymous)'} ${where}:${node.callFrame.lineNumber + 1}`;
    functions.set(label, (functions.get(label) ?? 0) + micros);
  }
  const idle = categories.get('idle') ?? 0;
  console.log(
    `\n${path.basename(file)}: ${(total / 1e6).toFixed(1)} s sampled, ${((1 - idle / total) * 100).toFixed(0)} % busy`,
  );
  console.table(
    [...categories.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([name, micros]) => ({
        category: name,
        'share of busy time %': name === 'idle' ? '-' : +((micros / (total - idle)) * 100).toFixed(1),
        seconds: +(micros / 1e6).toFixed(2),
      })),
  );
  console.table(
    [...functions.entries()]
      .filter(([label]) => !label.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([label, micros]) => ({
        function: label.slice(0, 110),
        'busy %': +((micros / (total - idle)) * 100).toFixed(1),
      })),
  );
}

const dir = process.argv[2];
const lastFlag = process.argv.indexOf('--last');
const lastSeconds = lastFlag > 0 ? Number(process.argv[lastFlag + 1]) : Infinity;
if (!dir || dir.startsWith('--') || !(lastSeconds > 0)) {
  console.error('Usage: npx tsx tests/bench/load-class-profile.ts <folder with .cpuprofile files> [--last SECONDS]');
  process.exit(2);
}
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.cpuprofile'))
  .map((name) => path.join(dir, name));
if (files.length === 0) {
  console.error(
    `✖ no .cpuprofile files in ${dir}: run load:class with APP_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=${dir}"`,
  );
  process.exit(1);
}
if (Number.isFinite(lastSeconds)) console.log(`Only each profile's last ${lastSeconds} s.`);
for (const file of files) summarise(file, lastSeconds * 1e6);

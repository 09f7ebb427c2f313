/**
 * Runs the benchmarks: every `bench/*.bench.ts` module's `run()` in turn, or only those named on
 * the command line (`npm run bench -- ingest calendar`). A missed target is reported in the table,
 * not by the exit code; exit 1 means a bench crashed, 2 an unknown bench name.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const SUFFIX = '.bench.ts';
const available = readdirSync(here)
  .filter((file) => file.endsWith(SUFFIX))
  .map((file) => file.slice(0, -SUFFIX.length))
  .sort();

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`unknown bench ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}

let failed = 0;
for (const name of requested.length > 0 ? requested : available) {
  const started = performance.now();
  try {
    const module = (await import(pathToFileURL(join(here, `${name}${SUFFIX}`)).href)) as { run?: unknown };
    if (typeof module.run !== 'function') throw new Error(`bench/${name}${SUFFIX} exports no run()`);
    await (module.run as () => Promise<void>)();
    console.log(`${name}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    failed += 1;
    console.error(`${name}: crashed:`, error);
  }
}
if (failed > 0) process.exitCode = 1;

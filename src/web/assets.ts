/**
 * The dashboard's static files: its stylesheet and drawing script (next to this file) and Chart.js
 * (from node_modules, resolved once). Chart.js may be missing (an install without it): the pages
 * then show their tables only, and `/assets/chart.js` answers 404.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface Asset {
  readonly body: string;
  readonly type: string;
}

const read = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');

function chartJs(): string | undefined {
  try {
    // The package exports only its module entries; the browser build sits beside them in dist/.
    const main = createRequire(import.meta.url).resolve('chart.js');
    return readFileSync(join(dirname(main), 'chart.umd.min.js'), 'utf8');
  } catch {
    return undefined;
  }
}

/** Reads the assets (once per app). Throws only if the dashboard's own files are missing. */
export function loadAssets(): ReadonlyMap<string, Asset> {
  const assets = new Map<string, Asset>([
    ['dashboard.css', { body: read('dashboard.css'), type: 'text/css; charset=utf-8' }],
    ['dashboard.js', { body: read('dashboard.js'), type: 'text/javascript; charset=utf-8' }],
  ]);
  const chart = chartJs();
  if (chart !== undefined) assets.set('chart.js', { body: chart, type: 'text/javascript; charset=utf-8' });
  return assets;
}

/**
 * The storefront's JavaScript budget: what a shopper's browser downloads, gzipped, stays under
 * web/package.json's `jsBudgetKbGzip` (the build fails over it too), and the page loads nothing
 * from another origin.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildStorefront, WEB_DIR, WEB_DIST } from '../scripts/web';

beforeAll(() => buildStorefront({ onlyIfStale: true }), 120_000);

describe('the storefront bundle', () => {
  const budgetKb = JSON.parse(readFileSync(path.join(WEB_DIR, 'package.json'), 'utf8')).jsBudgetKbGzip as number;

  it('has its JavaScript under the budget, gzipped', () => {
    const assets = path.join(WEB_DIST, 'assets');
    const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
    const kb = js.reduce((sum, f) => sum + gzipSync(readFileSync(path.join(assets, f)), { level: 9 }).length, 0) / 1024;
    console.log(`storefront JavaScript: ${kb.toFixed(1)} kB gzipped in ${js.length} file(s), budget ${budgetKb} kB`);
    expect(budgetKb).toBeGreaterThan(0);
    expect(kb).toBeLessThanOrEqual(budgetKb);
  });

  it('loads nothing from another origin', () => {
    const html = readFileSync(path.join(WEB_DIST, 'index.html'), 'utf8');
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map(([, u]) => u);
    expect(urls.length).toBeGreaterThan(0);
    // Paths on the page's origin, or inline data (the empty favicon).
    expect(urls.filter((u) => !u.startsWith('/') && !u.startsWith('data:'))).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/** The JavaScript budget, gzipped, from package.json's `jsBudgetKbGzip`. */
const budgetKb: number = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')).jsBudgetKbGzip;

/** Fails the build when the bundle's JavaScript, gzipped, outgrows the budget. */
function jsBudget(): Plugin {
  return {
    name: 'js-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const bytes = Object.values(bundle)
        .filter((chunk) => chunk.type === 'chunk')
        .reduce((sum, chunk) => sum + gzipSync(chunk.type === 'chunk' ? chunk.code : '', { level: 9 }).length, 0);
      const kb = bytes / 1024;
      if (kb > budgetKb) this.error(`JavaScript is ${kb.toFixed(1)} kB gzipped, over the budget of ${budgetKb} kB (web/package.json)`);
      this.info(`JavaScript: ${kb.toFixed(1)} kB gzipped (budget ${budgetKb} kB)`);
    },
  };
}

// The router serves the built files from its own origin (see README), so the app calls
// `/graphql` relative to the page: no CORS. `vite dev` proxies /graphql to a running `npm start`.
export default defineConfig({
  plugins: [react(), jsBudget()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022' },
  server: { proxy: { '/graphql': { target: 'http://127.0.0.1:4000', ws: true } } },
});

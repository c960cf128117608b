/**
 * The container's entry point: runs one process of the shop, named by SHOP_PROCESS (the
 * Dockerfile's SERVICE build argument) or the first argument, from its compiled JavaScript.
 * Plain node, no tsx: `npm run build` made the JavaScript.
 */
import path from 'node:path';

// @shop/kernel resolves to its compiled dist/ only under the `production` export condition.
const flags = ` ${[...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ')} `;
if (!/\s(--conditions|-C)[= ]production\s/.test(flags)) {
  console.error('run with node --conditions=production (the Dockerfile sets it in NODE_OPTIONS): @shop/kernel must resolve to its compiled dist/');
  process.exit(1);
}

// Loaded after the check: without the condition it would load the kernel's TypeScript.
const { shopProcess } = require('./processes') as typeof import('./processes');

const name = process.argv[2] ?? process.env.SHOP_PROCESS;
if (!name) {
  console.error('name the process to run: SHOP_PROCESS, or the first argument');
  process.exit(1);
}
let compiled: string;
try {
  compiled = shopProcess(name).compiled;
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
require(path.resolve(__dirname, '..', '..', compiled));

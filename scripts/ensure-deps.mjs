// Installs the npm dependencies when they are missing or older than package-lock.json,
// so `npm start` and `npm test` work on a fresh clone (dev dependencies too, even under
// NODE_ENV=production, which npm would read as --omit=dev). Plain Node: nothing is installed yet.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const marker = 'node_modules/.package-lock.json';
const stale = !existsSync(marker) || (existsSync('package-lock.json') && statSync('package-lock.json').mtimeMs > statSync(marker).mtimeMs);
if (stale) {
  console.log('installing dependencies (npm ci)...');
  execSync(existsSync('package-lock.json') ? 'npm ci --include=dev --no-audit --no-fund' : 'npm install --include=dev --no-audit --no-fund', { stdio: 'inherit' });
}

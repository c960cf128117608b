import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The router serves the built files from its own origin (see README), so the app calls
// `/graphql` relative to the page: no CORS. `vite dev` proxies /graphql to a running `npm start`.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022' },
  server: { proxy: { '/graphql': { target: 'http://127.0.0.1:4000', ws: true } } },
});

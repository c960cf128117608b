import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import { PROJECT_ROOT } from '@shop/kernel';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** Where `npm run build -w web` (and `npm start`) puts the storefront's bundle. */
export const STOREFRONT_DIR = path.join(PROJECT_ROOT, 'web', 'dist');

/**
 * Serves the built storefront from the router's own origin, so the browser calls `/graphql` on
 * the same origin: no CORS to allow, and the same in development and production. Hashed assets
 * are cached for a year; every other GET for a page (`/products/42`, `/orders/7`) that accepts
 * text/html gets index.html, where the app routes. Returns false when there is no build.
 */
export function serveStorefront(app: Express, dir = STOREFRONT_DIR): boolean {
  const index = path.join(dir, 'index.html');
  if (!existsSync(index)) return false;
  // The page runs only its own bundle and fetches only from its own origin (HTTP and
  // WebSocket): an injected script could not load more code, nor fetch the tokens elsewhere.
  const storefrontHeaders = (res: { setHeader(field: string, value: string): unknown }) => {
    res.setHeader('content-security-policy', CSP);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
  };
  app.use('/assets', express.static(path.join(dir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false, setHeaders: storefrontHeaders }));
  app.use(express.static(dir, { index: false, setHeaders: storefrontHeaders }));
  app.use((req, res, next) => {
    // A browser opening a page asks for text/html; an API client's unknown path stays a 404.
    if (req.method !== 'GET' || req.path.startsWith('/graphql') || !req.headers.accept?.includes('text/html')) return next();
    storefrontHeaders(res);
    res.set('cache-control', 'no-cache').sendFile(index);
  });
  return true;
}

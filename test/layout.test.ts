/**
 * Where things live in a subgraph (README, "Where to find things"): data/ knows nothing of the
 * rules or of GraphQL; domain/ does no I/O of its own and knows nothing of GraphQL resolvers;
 * calls to other services live in clients/; src/index.ts only boots.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, SUBGRAPHS } from '@shop/kernel';

function sources(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : name.endsWith('.ts') ? [full] : [];
  });
}
const imports = (file: string) => [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map(([, spec]) => spec);
const src = (subgraph: string, folder: string) => sources(path.join(PROJECT_ROOT, 'subgraphs', subgraph, 'src', folder));

describe.each(SUBGRAPHS.map((s) => s.name))('%s', (name) => {
  it('data/ imports nothing from domain/, resolvers/, events/ or clients/', () => {
    for (const file of src(name, 'data'))
      expect({ file, imports: imports(file).filter((i) => /^\.\.\/(domain|resolvers|events|clients)\//.test(i)) }).toEqual({ file, imports: [] });
  });

  it('domain/ does no I/O of its own and imports no resolver', () => {
    for (const file of src(name, 'domain')) {
      const offending = imports(file).filter((i) => /^\.\.\/resolvers\/|^node:(fs|http|https|net)$|^nodemailer$|^ioredis$|^rabbitmq-client$/.test(i));
      expect({ file, offending }).toEqual({ file, offending: [] });
      expect({ file, calls: /\bfetch\(|serviceClient\(/.test(readFileSync(file, 'utf8')) }).toEqual({ file, calls: false });
    }
  });

  it('calls other services only from clients/', () => {
    for (const file of sources(path.join(PROJECT_ROOT, 'subgraphs', name, 'src')).filter((f) => !f.includes(`${path.sep}clients${path.sep}`)))
      expect({ file, queries: /\bServiceCall\b/.test(readFileSync(file, 'utf8')) }).toEqual({ file, queries: false });
  });

  it('src/index.ts only boots the subgraph', () => {
    const index = readFileSync(path.join(PROJECT_ROOT, 'subgraphs', name, 'src', 'index.ts'), 'utf8');
    expect(index).toContain(`runSubgraph('${name}'`);
    expect(index.split('\n').length).toBeLessThan(50);
  });
});

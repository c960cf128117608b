import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The JSON log lines a process of a test stack wrote so far (its file in DATA_DIR/logs). */
export function logLines(env: Record<string, string>, process: string): Record<string, any>[] {
  let text = '';
  try {
    text = readFileSync(path.join(env.DATA_DIR, 'logs', `${process}.log`), 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line)];
    } catch {
      return [];
    }
  });
}

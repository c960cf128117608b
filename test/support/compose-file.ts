import { readFileSync } from 'node:fs';
import YAML from 'yaml';

/**
 * Compose's variable interpolation (the Compose Specification, "Interpolation"): $$ is a
 * dollar, ${VAR} and $VAR the value (empty when unset), ${VAR:-default} and ${VAR-default} a
 * default when unset or empty (:-) or unset (-), ${VAR:?message} and ${VAR?message} an error,
 * naming VAR, when unset or empty (:?) or unset (?).
 */
export function interpolate(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(/\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_m, all, braced, op, arg, bare) => {
    if (all === '$') return '$';
    const name = braced ?? bare;
    const value = vars[name];
    const missing = op?.startsWith(':') ? !value : value === undefined;
    if (op?.endsWith('-')) return missing ? arg : value!;
    if (op?.endsWith('?') && missing) throw new Error(`required variable ${name} is missing a value: ${arg}`);
    return value ?? '';
  });
}

/** Every string of a parsed document interpolated, as compose does before it validates. */
export function interpolateAll<T>(value: T, vars: Record<string, string | undefined>): T {
  if (typeof value === 'string') return interpolate(value, vars) as T;
  if (Array.isArray(value)) return value.map((v) => interpolateAll(v, vars)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateAll(v, vars)])) as T;
  return value;
}

/** The file as compose reads it: YAML with merge keys (<<) resolved. */
export function readComposeFile(file: string): any {
  return YAML.parse(readFileSync(file, 'utf8'), { merge: true });
}

/** The variables a compose file requires (${VAR:?...} or ${VAR?...}). */
export function requiredVariables(file: string): string[] {
  const names = [...readFileSync(file, 'utf8').matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*):?\?/g)].map((m) => m[1]);
  return [...new Set(names)].sort();
}

import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import type { GraphQLSchema } from 'graphql';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

export type Severity = 'breaking' | 'dangerous' | 'safe';

/** A breaking change the team meant to make: reviewed in `schema/intended-changes.yaml`. */
export interface IntendedChange {
  /** The schema coordinate the check prints, e.g. `Product.sku` or `Query.products.first`. */
  path: string;
  /** graphql-inspector's change type, e.g. FIELD_REMOVED. */
  type: string;
  reason: string;
}

export interface SchemaChange {
  severity: Severity;
  type: string;
  path: string;
  message: string;
  /** Why the library rates it so, when it says. */
  why?: string;
  /** The reason recorded for an intended breaking change. */
  intended?: string;
}

const intendedFile = z.object({
  changes: z
    .array(
      z.object({
        path: z.string().min(1),
        type: z.string().regex(/^[A-Z_]+$/, 'a change type as the check prints it, e.g. FIELD_REMOVED'),
        reason: z.string().trim().min(10, 'say why, in a sentence'),
      }),
    )
    .nullish()
    .transform((c) => c ?? []),
});

/** Reads the reviewed list of intended breaking changes; throws naming the bad entry. */
export function parseIntendedChanges(yamlText: string): IntendedChange[] {
  const result = intendedFile.safeParse(parseYaml(yamlText) ?? {});
  if (result.success) return result.data.changes;
  throw new Error(`intended changes: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
}

const SEVERITY: Record<CriticalityLevel, Severity> = {
  [CriticalityLevel.Breaking]: 'breaking',
  [CriticalityLevel.Dangerous]: 'dangerous',
  [CriticalityLevel.NonBreaking]: 'safe',
};

const matches = (change: Change, intent: IntendedChange) => change.type === intent.type && (change.path ?? '') === intent.path;

/** Every change from the released API schema to the new one, rated by graphql-inspector; intended breaking changes carry their reason. */
export async function schemaChanges(released: GraphQLSchema, next: GraphQLSchema, intended: IntendedChange[] = []): Promise<SchemaChange[]> {
  const changes = await diff(released, next);
  return changes.map((change) => {
    const severity = SEVERITY[change.criticality.level];
    const intent = severity === 'breaking' ? intended.find((i) => matches(change, i)) : undefined;
    return {
      severity,
      type: change.type,
      path: change.path ?? '',
      message: change.message,
      ...(change.criticality.reason ? { why: change.criticality.reason } : {}),
      ...(intent ? { intended: intent.reason } : {}),
    };
  });
}

/** Recorded intents that match no change any more: left over, worth deleting. */
export function unusedIntents(changes: SchemaChange[], intended: IntendedChange[]): IntendedChange[] {
  return intended.filter((i) => !changes.some((c) => c.type === i.type && c.path === i.path));
}

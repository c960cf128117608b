import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validate as validateDocuments } from '@graphql-inspector/core';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  Kind,
  parse,
  print,
  Source,
  TypeInfo,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/** One operation a client sends, with the fragments of its document. */
export interface ClientOperation {
  /** `<file> <OperationName>`: how reports name it. */
  name: string;
  operation: OperationDefinitionNode;
  fragments: FragmentDefinitionNode[];
}

export interface OperationProblem {
  operation: string;
  message: string;
  /** A deprecated field is reported, not failed: the client still works today. */
  severity: 'error' | 'warning';
}

/** The operations of one GraphQL document; a document without operations (an SDL file) gives none. */
export function operationsOf(file: string, text: string): ClientOperation[] {
  let document: DocumentNode;
  try {
    document = parse(new Source(text, file));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
  const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  return document.definitions
    .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
    .map((operation, i) => ({ name: `${file} ${operation.name?.value ?? `#${i + 1}`}`, operation, fragments }));
}

/** Every operation of the `.graphql` files directly in each folder that exists. */
export function loadOperations(folders: string[]): ClientOperation[] {
  return folders
    .filter((folder) => existsSync(folder))
    .flatMap((folder) =>
      readdirSync(folder)
        .filter((f) => f.endsWith('.graphql'))
        .sort()
        .flatMap((f) => operationsOf(path.join(path.basename(folder), f), readFileSync(path.join(folder, f), 'utf8'))),
    );
}

/**
 * Validates each operation on its own against the schema with graphql-inspector, so a problem
 * names its operation; graphql-js's message names the field ("Cannot query field ...").
 */
export function checkOperations(schema: GraphQLSchema, operations: ClientOperation[]): OperationProblem[] {
  const fragments = new Map(operations.flatMap((o) => o.fragments).map((f) => [f.name.value, f]));
  const sources = [
    ...operations.map((o) => new Source(print(o.operation), o.name)),
    ...[...fragments.values()].map((f) => new Source(print(f), `fragment ${f.name.value}`)),
  ];
  // Fragments shared by several documents are one fragment here, not duplicates.
  return validateDocuments(schema, sources, { strictFragments: false }).flatMap(({ source, errors, deprecated }) => [
    ...errors.map((e) => ({ operation: source.name, message: e.message, severity: 'error' as const })),
    ...deprecated.map((e) => ({ operation: source.name, message: e.message, severity: 'warning' as const })),
  ]);
}

/**
 * The schema coordinates an operation depends on: fields (`Type.field`), the arguments it
 * passes (`Type.field.arg`), and the enum and input types it sends or reads, whose members
 * it may use without naming them.
 */
export function coordinatesOf(schema: GraphQLSchema, op: ClientOperation): Set<string> {
  const used = new Set<string>();
  const addInputType = (type: GraphQLNamedType | undefined) => {
    if (!type || used.has(type.name) || !(isEnumType(type) || isInputObjectType(type))) return;
    used.add(type.name);
    if (isInputObjectType(type)) for (const field of Object.values(type.getFields())) addInputType(getNamedType(field.type));
  };
  const typeInfo = new TypeInfo(schema);
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [op.operation, ...op.fragments] };
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!parent || !field) return;
        used.add(`${parent.name}.${field.name}`);
        addInputType(getNamedType(field.type));
      },
      Argument(node) {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (parent && field) used.add(`${parent.name}.${field.name}.${node.name.value}`);
        addInputType(typeInfo.getArgument() ? getNamedType(typeInfo.getArgument()!.type) : undefined);
      },
      VariableDefinition(node) {
        const type = typeFromAST(schema, node.type);
        addInputType(type ? getNamedType(type) : undefined);
      },
    }),
  );
  return used;
}

/** The operations a change at `changePath` touches: it or one of its parents (a field of a new required argument) is used. */
export function operationsHit(changePath: string, coordinates: Map<string, Set<string>>): string[] {
  const parts = changePath.split('.');
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('.'));
  return [...coordinates].filter(([, used]) => prefixes.some((p) => used.has(p))).map(([name]) => name);
}

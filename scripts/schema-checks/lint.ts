import {
  Kind,
  parse,
  Source,
  visit,
  type ASTNode,
  type DefinitionNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
  type TypeDefinitionNode,
} from 'graphql';

export interface LintProblem {
  /** `<file>:<line>`. */
  at: string;
  /** The schema coordinate, e.g. `Product.sku` or `Query.product.id`. */
  coordinate: string;
  message: string;
}

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);
const PASCAL_CASE = /^[A-Z][A-Za-z0-9]*$/;
const CAMEL_CASE = /^[a-z][A-Za-z0-9]*$/;
const UPPER_CASE = /^[A-Z][A-Z0-9_]*$/;

const isTypeDefinition = (d: DefinitionNode): d is TypeDefinitionNode =>
  [Kind.OBJECT_TYPE_DEFINITION, Kind.INTERFACE_TYPE_DEFINITION, Kind.UNION_TYPE_DEFINITION, Kind.ENUM_TYPE_DEFINITION, Kind.INPUT_OBJECT_TYPE_DEFINITION, Kind.SCALAR_TYPE_DEFINITION].includes(d.kind);

/**
 * Lints one subgraph's SDL: a description on every type, field, argument, input field and enum
 * value; types PascalCase, fields and arguments camelCase, enum values UPPER_CASE; and every type
 * reachable from a root type or an entity (`@key`), the subgraph's ways in.
 */
export function lintSubgraph(file: string, sdl: string): LintProblem[] {
  const document = parse(new Source(sdl, file));
  const problems: LintProblem[] = [];
  const report = (node: ASTNode, coordinate: string, message: string) =>
    problems.push({ at: `${file}:${node.loc?.startToken.line ?? 0}`, coordinate, message });
  const check = (node: ASTNode & { description?: unknown }, coordinate: string, name: string, convention: RegExp, conventionName: string) => {
    if (!node.description) report(node, coordinate, 'has no description');
    if (!convention.test(name)) report(node, coordinate, `is not ${conventionName}`);
  };
  const types = document.definitions.filter(isTypeDefinition);

  for (const type of types) {
    const typeName = type.name.value;
    check(type, typeName, typeName, PASCAL_CASE, 'PascalCase');
    const fields: readonly (FieldDefinitionNode | InputValueDefinitionNode)[] = 'fields' in type ? (type.fields ?? []) : [];
    for (const field of fields) {
      const coordinate = `${typeName}.${field.name.value}`;
      check(field, coordinate, field.name.value, CAMEL_CASE, 'camelCase');
      for (const arg of ('arguments' in field ? field.arguments : undefined) ?? [])
        check(arg, `${coordinate}.${arg.name.value}`, arg.name.value, CAMEL_CASE, 'camelCase');
    }
    if (type.kind === Kind.ENUM_TYPE_DEFINITION)
      for (const value of type.values ?? []) check(value, `${typeName}.${value.name.value}`, value.name.value, UPPER_CASE, 'UPPER_CASE');
  }

  for (const type of unreachable(types)) report(type, type.name.value, 'is unused: no root field or entity reaches it');
  return problems;
}

/** Types that no root type or entity reaches through fields, arguments, unions or interfaces. */
function unreachable(types: TypeDefinitionNode[]): TypeDefinitionNode[] {
  const byName = new Map(types.map((t) => [t.name.value, t]));
  const isEntity = (t: TypeDefinitionNode) => t.directives?.some((d) => d.name.value === 'key') ?? false;
  const reached = new Set<string>();
  const reach = (name: string) => {
    const type = byName.get(name);
    if (!type || reached.has(name)) return;
    reached.add(name);
    visit(type, {
      NamedType: (node) => {
        if (node.name.value !== name) reach(node.name.value);
      },
    });
  };
  for (const type of types) if (ROOT_TYPES.has(type.name.value) || isEntity(type)) reach(type.name.value);
  return types.filter((t) => !reached.has(t.name.value));
}

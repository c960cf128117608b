/**
 * fast-check arbitraries of GraphQL operations drawn from a schema: valid ones (a root field, its
 * arguments by type, a selection a few levels deep, values as literals or variables) and
 * near-valid ones (a wrong type, a missing or unknown argument, an enum value that does not
 * exist, an out-of-range number, hostile strings, a document with a character dropped or added).
 */
import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';

export interface FuzzOperation {
  query: string;
  variables: Record<string, unknown>;
  /** Which token the request carries. */
  as: 'anonymous' | 'customer' | 'admin';
}

/** Strings a hostile client sends: operators, NUL, paths, regex, scripts, odd unicode, long ones. */
const HOSTILE_STRINGS = [
  '', ' ', '$ne', '{"$gt":""}', '$where', 'a\u0000b', '../../etc/passwd', '.*', '(a+)+$', '[', '\\', "'; DROP TABLE x; --",
  '<script>alert(1)</script>', '\u202e', '\ud83d\ude00', 'e\u0301', '\uffff', 'CHAT10', 'chat10', 'x'.repeat(5000), '1e309', 'null', '__proto__',
];

export interface FuzzContext {
  /** Ids that exist (products, orders, users), so some calls reach real documents. */
  ids: string[];
}

export function operationArbitrary(schema: GraphQLSchema, context: FuzzContext): fc.Arbitrary<FuzzOperation> {
  const idArb = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...context.ids) },
    { weight: 1, arbitrary: fc.stringMatching(/^[0-9a-f]{24}$/) },
    { weight: 1, arbitrary: fc.oneof(fc.string(), fc.constantFrom(...HOSTILE_STRINGS)) },
  );
  const stringArb = fc.oneof(
    { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 10 }) },
    { weight: 1, arbitrary: fc.emailAddress() },
  );
  const intArb = fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: -3, max: 30 }) },
    { weight: 1, arbitrary: fc.constantFrom(0, -1, 2 ** 31 - 1, -(2 ** 31), 1000, 100_000) },
  );

  /** A value of `type`: valid, or now and then near-valid (`wild`). */
  function valueOf(type: GraphQLInputType, depth: number): fc.Arbitrary<unknown> {
    const wild = fc.constantFrom<unknown>(null, 'x', 1.5, 2 ** 31, -(2 ** 53), true, [], {}, { $gt: '' });
    const valid = validValueOf(type, depth);
    return fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: wild });
  }

  function validValueOf(type: GraphQLInputType, depth: number): fc.Arbitrary<unknown> {
    if (isNonNullType(type)) return validValueOf(type.ofType, depth);
    if (isListType(type)) return fc.array(valueOf(type.ofType, depth + 1), { maxLength: depth > 2 ? 1 : 4 });
    if (isEnumType(type)) return fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...type.getValues().map((v) => v.name)) }, { weight: 1, arbitrary: fc.constant('NOT_A_VALUE') });
    if (isInputObjectType(type)) {
      const fields = Object.values(type.getFields());
      const entries = Object.fromEntries(fields.map((f) => [f.name, depth > 3 ? fc.constant(null) : valueOf(f.type, depth + 1)]));
      const required = fields.filter((f) => isNonNullType(f.type)).map((f) => f.name);
      // One in ten drops a required field, one in ten adds an unknown one.
      return fc.tuple(fc.record(entries, { requiredKeys: required }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 })).map(([obj, drop, add]) => {
        const o: Record<string, unknown> = { ...obj };
        if (drop === 0 && required.length) delete o[required[0]];
        if (add === 0) o.unknownField = 1;
        return o;
      });
    }
    switch (getNamedType(type).name) {
      case 'Int':
        return intArb;
      case 'Float':
        return fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
      case 'Boolean':
        return fc.boolean();
      case 'ID':
        return idArb;
      default:
        return stringArb;
    }
  }

  /** A value as a GraphQL literal, enums unquoted. */
  function literal(value: unknown, type: GraphQLInputType): string {
    if (value === null || value === undefined) return 'null';
    const inner = isNonNullType(type) ? type.ofType : type;
    if (Array.isArray(value)) return `[${value.map((v) => literal(v, isListType(inner) ? inner.ofType : inner)).join(', ')}]`;
    if (typeof value === 'object') {
      const fields = isInputObjectType(inner) ? inner.getFields() : {};
      return `{ ${Object.entries(value)
        .map(([k, v]) => `${/^[_A-Za-z]\w*$/.test(k) ? k : 'bad_key'}: ${literal(v, fields[k]?.type ?? inner)}`)
        .join(', ')} }`;
    }
    if (isEnumType(inner) && typeof value === 'string' && /^[_A-Za-z]\w*$/.test(value)) return value;
    return JSON.stringify(value);
  }

  interface Printed {
    text: string;
    variables: Record<string, unknown>;
    definitions: string[];
  }

  /** Arguments of a field: required ones (mostly), optional ones sometimes, each a literal or a variable. */
  function argumentsOf(args: readonly GraphQLArgument[], depth: number): fc.Arbitrary<Printed> {
    if (!args.length) return fc.constant({ text: '', variables: {}, definitions: [] });
    return fc
      .tuple(
        fc.tuple(...args.map((a) => fc.tuple(fc.constant(a), valueOf(a.type, depth), fc.boolean(), fc.integer({ min: 0, max: 9 })))),
        fc.integer({ min: 0, max: 19 }),
      )
      .map(([chosen, unknown]) => {
        const parts: string[] = [];
        const variables: Record<string, unknown> = {};
        const definitions: string[] = [];
        for (const [arg, value, asVariable, roll] of chosen) {
          const required = isNonNullType(arg.type);
          if (required ? roll === 0 : roll < 5) continue; // a required one left out now and then
          if (asVariable) {
            // Named apart later (one operation may use the same argument name twice).
            const name = `${arg.name}_${variableCount++}`;
            definitions.push(`$${name}: ${String(arg.type)}`);
            variables[name] = value;
            parts.push(`${arg.name}: $${name}`);
          } else parts.push(`${arg.name}: ${literal(value, arg.type)}`);
        }
        if (unknown === 0) parts.push('notAnArgument: 1');
        return { text: parts.length ? `(${parts.join(', ')})` : '', variables, definitions };
      });
  }
  // Only makes names unique; its value never changes what is generated.
  let variableCount = 0;

  /** A selection of `type`: a few fields, a few levels deep, with their arguments. */
  function selectionOf(type: GraphQLOutputType, depth: number): fc.Arbitrary<Printed> {
    const named = getNamedType(type);
    if (isLeafType(named)) return fc.constant({ text: '', variables: {}, definitions: [] });
    if (isUnionType(named) || isInterfaceType(named)) {
      const possible = schema.getPossibleTypes(named);
      return fc.constantFrom(...possible).chain((t) => selectionOf(t, depth).map((s) => ({ ...s, text: `{ __typename ... on ${t.name} ${s.text || '{ __typename }'} }` })));
    }
    const object = named as GraphQLObjectType;
    const fields = Object.values(object.getFields());
    const leaves = fields.filter((f) => isLeafType(getNamedType(f.type)));
    const pick = depth >= 3 ? (leaves.length ? leaves : fields.slice(0, 1)) : fields;
    return fc.uniqueArray(fc.constantFrom(...pick), { minLength: 1, maxLength: Math.min(4, pick.length) }).chain((chosen) =>
      fc.tuple(...chosen.map((f) => fieldOf(f, depth + 1))).map((printed) => ({
        text: `{ ${printed.map((p) => p.text).join(' ')} }`,
        variables: Object.assign({}, ...printed.map((p) => p.variables)),
        definitions: printed.flatMap((p) => p.definitions),
      })),
    );
  }

  function fieldOf(field: GraphQLField<unknown, unknown>, depth: number): fc.Arbitrary<Printed> {
    return fc.tuple(argumentsOf(field.args, depth), selectionOf(field.type, depth)).map(([args, sel]) => ({
      text: `${field.name}${args.text}${sel.text ? ` ${sel.text}` : ''}`,
      variables: { ...args.variables, ...sel.variables },
      definitions: [...args.definitions, ...sel.definitions],
    }));
  }

  const roots: { kind: 'query' | 'mutation'; field: GraphQLField<unknown, unknown> }[] = [
    ...Object.values(schema.getQueryType()!.getFields()).map((field) => ({ kind: 'query' as const, field })),
    ...Object.values(schema.getMutationType()?.getFields() ?? {}).map((field) => ({ kind: 'mutation' as const, field })),
  ];

  /** A character dropped, doubled or added somewhere: mostly parse and validation errors. */
  const damage = (text: string, at: number, kind: number, char: string) => {
    const i = at % Math.max(1, text.length);
    if (kind === 0) return text.slice(0, i) + text.slice(i + 1);
    if (kind === 1) return text.slice(0, i) + text.slice(i, i + 8) + text.slice(i);
    return text.slice(0, i) + char + text.slice(i);
  };

  return fc
    .record({
      root: fc.constantFrom(...roots),
      as: fc.constantFrom<FuzzOperation['as']>('anonymous', 'customer', 'admin'),
      damaged: fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.integer({ min: 0, max: 2 }), fc.constantFrom('{', '}', '(', ')', '$', '"', '@', '!', ':', '\u0000')) }),
    })
    .chain(({ root: { kind, field }, as, damaged }) =>
      fieldOf(field, 0).map((printed) => {
        const defs = printed.definitions.length ? `(${printed.definitions.join(', ')})` : '';
        const query = `${kind} Fuzz${defs} { ${printed.text} }`;
        return { query: damaged ? damage(query, damaged[0], damaged[1], damaged[2]) : query, variables: printed.variables, as };
      }),
    );
}

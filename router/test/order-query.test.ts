import { buildSchema, parse, print } from 'graphql';
import { toOrderQuery } from '../src/subscriptions/order-query';

const schema = buildSchema(`
  type Query { order(id: ID!): Order }
  type Subscription { orderUpdated(id: ID!): Order! }
  type Order { id: ID! status: String! items: [Item!]! }
  type Item { quantity: Int! name: String! }
`);

const derive = (query: string, variables?: Record<string, unknown>, operationName?: string) =>
  toOrderQuery(schema, parse(query), operationName, variables);

describe('toOrderQuery', () => {
  it('asks order(id) for the same selection, under the name the client asked for', () => {
    const result = derive(`subscription S($id: ID!) { orderUpdated(id: $id) { id status items { ...Line } } } fragment Line on Item { quantity }`, { id: 'o1' });
    expect(result).toEqual({ orderId: 'o1', variables: { id: 'o1' }, query: expect.any(String) });
    expect(print(parse((result as { query: string }).query))).toBe(
      print(parse(`query S($id: ID!) { orderUpdated: order(id: $id) { id status items { ...Line } } } fragment Line on Item { quantity }`)),
    );
  });

  it('keeps an alias, and reads an inline id', () => {
    const result = derive(`subscription { tracked: orderUpdated(id: "o2") { status } }`) as { orderId: string; query: string };
    expect(result.orderId).toBe('o2');
    expect(result.query).toContain('tracked: order(id: "o2")');
  });

  it('drops the other operations of the document', () => {
    const result = derive(`subscription A { orderUpdated(id: "a") { id } } subscription B { orderUpdated(id: "b") { status } }`, {}, 'B') as { orderId: string; query: string };
    expect(result.orderId).toBe('b');
    expect(result.query).not.toContain('"a"');
  });

  it('refuses what it cannot turn into one query on the order, with BAD_USER_INPUT', () => {
    const codes = (r: ReturnType<typeof derive>) => (Array.isArray(r) ? r.map((e) => e.extensions.code) : r);
    expect(codes(derive(`query { order(id: "a") { id } }`))).toEqual(['BAD_USER_INPUT']);
    expect(codes(derive(`subscription { ... on Subscription { orderUpdated(id: "a") { id } } }`))).toEqual(['BAD_USER_INPUT']);
    expect(codes(derive(`subscription($id: ID!) { orderUpdated(id: $id) { id } }`, {}))).toEqual(['BAD_USER_INPUT']);
    expect(codes(derive(`subscription($id: ID!) { orderUpdated(id: $id) { id } }`, { id: { no: 1 } }))).toEqual(['BAD_USER_INPUT']);
  });
});

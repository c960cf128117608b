/**
 * The contract's catalogue operations: CreateProduct, UpdateProduct, AdjustStock (admin only),
 * ProductPage, Products. Makes the teapot, the out-of-stock kettle and the cup the orders use.
 */
import { SEED_PRODUCT_COUNT } from '../../../subgraphs/catalogue/src/data/seed';
import type { Contract, Product } from './context';

export function catalogue(ctx: Contract) {
  const { tag, TAG, category, run, ok, refused, productPage, money, node } = ctx;

  describe('catalogue', () => {
    const inputs = () => ({
      teapot: { sku: `CT-${TAG}-T`, name: `Contract Teapot ${tag}`, description: `A teapot for the contract test ${tag}.`, category, priceCents: 1000, stock: 10 },
      kettle: { sku: `CT-${TAG}-K`, name: `Contract Kettle ${tag}`, description: 'Sold out.', category, priceCents: 499, stock: 0, currency: 'EUR' },
      cup: { sku: `CT-${TAG}-C`, name: `Contract Cup ${tag}`, description: 'A cup.', category, priceCents: 2599, stock: 5 },
    });

    it('CreateProduct: an admin creates products, each as given (EUR by default)', async () => {
      const created: Record<string, Product> = {};
      for (const [key, input] of Object.entries(inputs())) {
        const product = ok(await run('CreateProduct', { input }, ctx.admin.token)).createProduct;
        expect(product).toEqual({
          id: product.id,
          sku: input.sku,
          name: input.name,
          category,
          price: money(input.priceCents),
          stock: input.stock,
        });
        created[key] = { ...product, description: input.description };
      }
      ({ teapot: ctx.teapot, kettle: ctx.kettle, cup: ctx.cup } = created as Record<'teapot' | 'kettle' | 'cup', Product>);
      expect(new Set([ctx.teapot.id, ctx.kettle.id, ctx.cup.id]).size).toBe(3);
      refused(await run('CreateProduct', { input: { ...inputs().cup, name: 'Same SKU' } }, ctx.admin.token), 'BAD_USER_INPUT');
    });

    it('UpdateProduct: an admin renames and reprices; the next read shows it', async () => {
      expect((await productPage(ctx.teapot.id)).price).toEqual(money(1000)); // now cached
      const name = `Contract Teapot Deluxe ${tag}`;
      const updated = ok(await run('UpdateProduct', { id: ctx.teapot.id, input: { name, priceCents: 1234 } }, ctx.admin.token)).updateProduct;
      expect(updated).toEqual({ id: ctx.teapot.id, name, category, price: money(1234) });
      ctx.teapot = { ...ctx.teapot, name, price: money(1234) };
      const page = await productPage(ctx.teapot.id);
      expect({ name: page.name, price: page.price }).toEqual({ name, price: money(1234) });
      refused(await run('UpdateProduct', { id: '000000000000000000000000', input: { name: 'Ghost' } }, ctx.admin.token), 'NOT_FOUND');
    });

    it('AdjustStock: adds and takes stock, never below zero', async () => {
      expect(ok(await run('AdjustStock', { productId: ctx.teapot.id, delta: 25 }, ctx.admin.token)).adjustStock).toEqual({ id: ctx.teapot.id, stock: 35 });
      expect(ok(await run('AdjustStock', { productId: ctx.teapot.id, delta: -5 }, ctx.admin.token)).adjustStock).toEqual({ id: ctx.teapot.id, stock: 30 });
      refused(await run('AdjustStock', { productId: ctx.teapot.id, delta: -31 }, ctx.admin.token), 'BAD_USER_INPUT');
      ctx.teapot.stock = 30;
      expect((await productPage(ctx.teapot.id)).stock).toBe(30);
    });

    const adminOnly: [string, () => Record<string, unknown>, () => Promise<void>][] = [
      [
        'CreateProduct',
        () => ({ input: { sku: `CT-${TAG}-X`, name: `Contract Intruder ${tag}`, description: 'd', category, priceCents: 1, stock: 1 } }),
        async () => expect(ok(await run('Products', { search: `intruder ${tag}` })).products.totalCount).toBe(0),
      ],
      [
        'UpdateProduct',
        () => ({ id: ctx.teapot.id, input: { name: 'Hijacked', priceCents: 1 } }),
        async () => expect(await productPage(ctx.teapot.id)).toMatchObject({ name: ctx.teapot.name, price: ctx.teapot.price }),
      ],
      [
        'AdjustStock',
        () => ({ productId: ctx.teapot.id, delta: -1 }),
        async () => expect((await productPage(ctx.teapot.id)).stock).toBe(ctx.teapot.stock),
      ],
    ];
    it.each(adminOnly)('%s: a customer gets FORBIDDEN, the visitor UNAUTHENTICATED, and nothing changes', async (name, variables, unchanged) => {
      refused(await run(name, variables(), ctx.bob.token), 'FORBIDDEN');
      refused(await run(name, variables()), 'UNAUTHENTICATED');
      await unchanged();
    });

    it('ProductPage: every field as the catalogue holds it; recommendations are other products, in stock, as the catalogue holds them', async () => {
      const page = await productPage(ctx.teapot.id);
      expect(page).toEqual({ ...node(ctx.teapot), description: ctx.teapot.description, recommendations: page.recommendations });
      const recommended = page.recommendations as { id: string; name: string; price: unknown }[];
      expect(recommended.length).toBeGreaterThan(0);
      expect(recommended.length).toBeLessThanOrEqual(4);
      expect(new Set(recommended.map((r) => r.id)).size).toBe(recommended.length);
      // The cup is the one other product of the category in stock: thin history fills up with it.
      expect(recommended.map((r) => r.id)).toContain(ctx.cup.id);
      for (const r of recommended) {
        expect(r.id).not.toBe(ctx.teapot.id);
        const held = await productPage(r.id);
        expect({ id: r.id, name: r.name, price: r.price }).toEqual({ id: held.id, name: held.name, price: held.price });
        expect(held.inStock).toBe(true);
      }
      expect(await productPage(ctx.kettle.id)).toMatchObject({ ...node(ctx.kettle), description: ctx.kettle.description });
      expect(ok(await run('ProductPage', { id: '000000000000000000000000' }))).toEqual({ product: null });
    });

    it('Products: a category by price in pages of two, with totalCount, cursors and pageInfo', async () => {
      const first = ok(await run('Products', { first: 2, category, sort: 'PRICE_ASC' })).products;
      expect(first.totalCount).toBe(3);
      expect(first.edges.map((e: any) => e.node)).toEqual([node(ctx.kettle), node(ctx.teapot)]);
      expect(first.pageInfo).toEqual({ hasNextPage: true, endCursor: first.edges[1].cursor });
      const second = ok(await run('Products', { first: 2, after: first.pageInfo.endCursor, category, sort: 'PRICE_ASC' })).products;
      expect(second.totalCount).toBe(3);
      expect(second.edges.map((e: any) => e.node)).toEqual([node(ctx.cup)]);
      expect(second.pageInfo).toEqual({ hasNextPage: false, endCursor: second.edges[0].cursor });
      expect(new Set([...first.edges, ...second.edges].map((e: any) => e.cursor)).size).toBe(3);
    });

    it('Products: filters by stock and by search words (any case), sorts NEWEST by default and by NAME', async () => {
      const list = async (variables: Record<string, unknown>) => {
        const { products } = ok(await run('Products', { category, ...variables }));
        expect(products.totalCount).toBe(products.edges.length);
        expect(products.pageInfo).toEqual({ hasNextPage: false, endCursor: products.edges.at(-1)?.cursor ?? null });
        return products.edges.map((e: any) => e.node);
      };
      expect(await list({ inStock: true, sort: 'PRICE_ASC' })).toEqual([node(ctx.teapot), node(ctx.cup)]);
      expect(await list({ inStock: false })).toEqual([node(ctx.kettle)]);
      expect(await list({ search: `TEAPOT ${TAG}` })).toEqual([node(ctx.teapot)]);
      expect(await list({ search: `teapot nothing-like-it-${tag}` })).toEqual([]);
      expect(await list({})).toEqual([node(ctx.cup), node(ctx.kettle), node(ctx.teapot)]);
      expect(await list({ sort: 'NAME' })).toEqual([node(ctx.cup), node(ctx.kettle), node(ctx.teapot)]);
    });

    it('Products: walking every page by NAME returns each product once, as many as totalCount', async () => {
      const seen: any[] = [];
      let after: string | null = null;
      let totalCount: number | undefined;
      for (let pages = 0; pages < 20; pages++) {
        const { products } = ok(await run('Products', { first: 100, after, sort: 'NAME' }));
        totalCount ??= products.totalCount;
        expect(products.totalCount).toBe(totalCount);
        seen.push(...products.edges.map((e: any) => e.node));
        expect(products.pageInfo.endCursor).toBe(products.edges.at(-1)?.cursor ?? null);
        if (!products.pageInfo.hasNextPage) break;
        expect(products.edges).toHaveLength(100);
        after = products.pageInfo.endCursor;
      }
      expect(seen).toHaveLength(totalCount!);
      expect(totalCount).toBe(SEED_PRODUCT_COUNT + 3);
      expect(new Set(seen.map((p) => p.id)).size).toBe(seen.length);
      const outOfOrder = seen.findIndex((p, i) => i > 0 && seen[i - 1].name > p.name);
      expect(outOfOrder).toBe(-1);
      expect(seen.filter((p) => p.inStock !== p.stock > 0)).toEqual([]);
      for (const mine of [ctx.teapot, ctx.kettle, ctx.cup]) expect(seen.find((p) => p.id === mine.id)).toEqual(node(mine));
    });
  });
}

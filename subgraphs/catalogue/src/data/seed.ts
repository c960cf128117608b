import { seededRandom } from '@shop/kernel';
import type { ProductModel } from './product-model';

const CATEGORIES: Record<string, { items: string[]; minCents: number; maxCents: number }> = {
  books: { items: ['Novel', 'Cookbook', 'Atlas', 'Poetry Collection', 'Field Guide'], minCents: 799, maxCents: 4999 },
  electronics: { items: ['Headphones', 'Speaker', 'Charger', 'Keyboard', 'Webcam'], minCents: 1999, maxCents: 39999 },
  kitchen: { items: ['Chef Knife', 'Skillet', 'Kettle', 'Cutting Board', 'Teapot'], minCents: 999, maxCents: 19999 },
  garden: { items: ['Trowel', 'Watering Can', 'Planter', 'Pruner', 'Seed Kit'], minCents: 499, maxCents: 8999 },
  toys: { items: ['Puzzle', 'Building Set', 'Plush Fox', 'Kite', 'Board Game'], minCents: 699, maxCents: 7999 },
  sports: { items: ['Yoga Mat', 'Water Bottle', 'Jump Rope', 'Running Cap', 'Dumbbell'], minCents: 899, maxCents: 12999 },
  clothing: { items: ['T-Shirt', 'Hoodie', 'Scarf', 'Socks', 'Rain Jacket'], minCents: 1299, maxCents: 14999 },
  beauty: { items: ['Face Cream', 'Soap Bar', 'Shampoo', 'Lip Balm', 'Hand Lotion'], minCents: 399, maxCents: 5999 },
  office: { items: ['Notebook', 'Fountain Pen', 'Desk Lamp', 'Stapler', 'Planner'], minCents: 299, maxCents: 9999 },
  grocery: { items: ['Olive Oil', 'Coffee Beans', 'Dark Chocolate', 'Honey', 'Green Tea'], minCents: 249, maxCents: 2999 },
};
const ADJECTIVES = ['Classic', 'Compact', 'Deluxe', 'Eco', 'Everyday', 'Nordic', 'Organic', 'Pro', 'Rustic', 'Vintage'];
const COLOURS = ['Amber', 'Azure', 'Coral', 'Graphite', 'Ivory', 'Jade', 'Sand', 'Slate', 'Teal', 'Wine'];

export const SEED_PRODUCT_COUNT = 500;

export function demoProducts(count = SEED_PRODUCT_COUNT) {
  const rand = seededRandom(20261125); // every machine seeds the same catalogue
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const categories = Object.keys(CATEGORIES);
  const start = Date.UTC(2026, 0, 1);
  return Array.from({ length: count }, (_, i) => {
    const category = categories[i % categories.length];
    const { items, minCents, maxCents } = CATEGORIES[category];
    const item = pick(items);
    const name = `${pick(ADJECTIVES)} ${pick(COLOURS)} ${item}`;
    const priceCents = Math.round((minCents + rand() * (maxCents - minCents)) / 10) * 10 - 1;
    return {
      sku: `${category.slice(0, 3).toUpperCase()}-${String(i + 1).padStart(4, '0')}`,
      name,
      description: `A ${name.toLowerCase()} from our ${category} range, chosen for everyday use.`,
      category,
      priceCents,
      currency: 'EUR',
      // About one product in twelve is sold out; the rest have up to 200 units.
      stock: rand() < 0.08 ? 0 : 1 + Math.floor(rand() * 200),
      createdAt: new Date(start + i * 3_600_000),
    };
  });
}

/**
 * Inserts each demo product whose SKU is absent; never touches an existing one. `fresh`: the
 * catalogue was empty, so this is a new catalogue.
 */
export async function seedCatalogue(products: ProductModel): Promise<{ inserted: number; fresh: boolean }> {
  const existing = new Set((await products.find({}, { sku: 1 }).lean()).map((p) => p.sku));
  const missing = demoProducts().filter((p) => !existing.has(p.sku));
  if (missing.length) await products.insertMany(missing, { ordered: false }).catch(ignoreDuplicates);
  return { inserted: missing.length, fresh: existing.size === 0 };
}

/** Another replica seeding at the same moment inserted some first: that is fine. */
function ignoreDuplicates(err: { writeErrors?: { code: number }[]; code?: number }) {
  const errors = err.writeErrors ?? [err];
  if (!errors.every((e) => e.code === 11000)) throw err;
}

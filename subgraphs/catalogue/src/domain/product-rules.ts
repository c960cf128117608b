import { badInput } from '@shop/kernel';
import type { CreateProductInput, UpdateProductInput } from '../__generated__/resolvers-types';

const text = (value: string, field: string, max: number) => {
  const trimmed = value.trim();
  if (!trimmed || trimmed.length > max) throw badInput(`${field} must have 1 to ${max} characters`, { field });
  return trimmed;
};

const cents = (value: number, field: string) => {
  if (!Number.isInteger(value) || value < 0) throw badInput(`${field} must be a whole number of cents, at least 0`, { field });
  return value;
};

export function checkNewProduct(input: CreateProductInput) {
  const currency = (input.currency ?? 'EUR').toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw badInput('currency must be an ISO 4217 code', { field: 'currency' });
  if (!Number.isInteger(input.stock) || input.stock < 0) throw badInput('stock must be at least 0', { field: 'stock' });
  return {
    sku: text(input.sku, 'sku', 64),
    name: text(input.name, 'name', 200),
    description: text(input.description, 'description', 5000),
    category: text(input.category, 'category', 64),
    priceCents: cents(input.priceCents, 'priceCents'),
    currency,
    stock: input.stock,
  };
}

export function checkProductChanges(input: UpdateProductInput) {
  const changes: Record<string, string | number> = {};
  if (input.name != null) changes.name = text(input.name, 'name', 200);
  if (input.description != null) changes.description = text(input.description, 'description', 5000);
  if (input.category != null) changes.category = text(input.category, 'category', 64);
  if (input.priceCents != null) changes.priceCents = cents(input.priceCents, 'priceCents');
  if (!Object.keys(changes).length) throw badInput('Nothing to update');
  return changes;
}

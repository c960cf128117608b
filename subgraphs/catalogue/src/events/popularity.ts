import type { DomainEvent } from '@shop/kernel';
import type { ProductModel } from '../data/product-model';
import type { ProcessedEventModel } from '../data/processed-event-model';
import type { ProductsChanged } from '../data/product-changes';

interface OrderLines {
  items: { productId: string; quantity: number }[];
}

/**
 * Popularity is units sold: order.created adds each line's quantity, order.cancelled takes it
 * back. An event applied once is recorded by id and skipped when redelivered. A crash between
 * applying and recording can count one event twice: acceptable for a ranking, and never
 * a lost event.
 */
export function popularityConsumer(products: ProductModel, processed: ProcessedEventModel, changed: ProductsChanged) {
  return async (event: DomainEvent) => {
    const sign = event.type === 'order.created' ? 1 : event.type === 'order.cancelled' ? -1 : 0;
    if (!sign || (await processed.exists({ _id: event.id }))) return;
    const { items } = event.data as unknown as OrderLines;
    for (const item of items) await products.updateOne({ _id: item.productId }, { $inc: { unitsSold: sign * item.quantity } });
    await processed.create({ _id: event.id, type: event.type });
    await changed(items.map((item) => item.productId));
  };
}

import type { DomainEvent, EventHandlers } from '@shop/kernel';
import type { ProductModel } from '../data/product-model';
import type { ProcessedEventModel } from '../data/processed-event-model';
import type { ProductsChanged } from '../data/product-changes';

/**
 * Popularity is units sold: order.created adds each line's quantity, order.cancelled takes it
 * back. An event applied once is recorded by id and skipped when redelivered. A crash between
 * applying and recording can count one event twice: acceptable for a ranking, and never
 * a lost event.
 */
export function popularityConsumer(products: ProductModel, processed: ProcessedEventModel, changed: ProductsChanged): EventHandlers<'catalogue.popularity'> {
  async function count(event: DomainEvent<'order.created' | 'order.cancelled'>, sign: 1 | -1) {
    if (await processed.exists({ _id: event.id })) return;
    for (const item of event.data.items) await products.updateOne({ _id: item.productId }, { $inc: { unitsSold: sign * item.quantity, rev: 1 } });
    await processed.create({ _id: event.id, type: event.type });
    await changed(event.data.items.map((item) => item.productId));
  }
  return {
    'order.created': (event) => count(event, 1),
    'order.cancelled': (event) => count(event, -1),
  };
}

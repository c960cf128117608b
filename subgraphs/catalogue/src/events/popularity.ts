import type { DomainEvent, EventHandlers } from '@shop/kernel';
import type { ProductDoc, ProductModel } from '../data/product-model';
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
    const written: ProductDoc[] = [];
    for (const item of event.data.items) {
      // The document the write returns goes to the listing: no read after the write.
      const doc = await products.findOneAndUpdate({ _id: item.productId }, { $inc: { unitsSold: sign * item.quantity, rev: 1 } }, { new: true }).lean<ProductDoc>();
      if (doc) written.push(doc);
    }
    await processed.create({ _id: event.id, type: event.type });
    await changed(event.data.items.map((item) => item.productId), written);
  }
  return {
    'order.created': (event) => count(event, 1),
    'order.cancelled': (event) => count(event, -1),
  };
}

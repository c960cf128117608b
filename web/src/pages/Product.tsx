import { useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { cart } from '../cart';
import { explain, money } from '../format';
import { WebProductDocument } from '../gql/graphql';
import { categoryName, t } from '../i18n';
import { Link } from '../nav';
import { ProductShelf } from './ProductShelf';

export function ProductPage({ id }: { id: string }) {
  const { data, loading, error } = useQuery(WebProductDocument, { variables: { id } });
  const [quantity, setQuantity] = useState(1);
  const [added, setAdded] = useState<string | null>(null);

  if (loading)
    return (
      <main id="main">
        <p aria-live="polite">{t('Loading product…')}</p>
      </main>
    );
  const p = data?.product;
  if (error || !p)
    return (
      <main id="main">
        <h1>{error ? t('Could not load this product') : t('Product not found')}</h1>
        {error && <p role="alert">{explain(error).message}</p>}
        <Link to="/">{t('Back to the catalogue')}</Link>
      </main>
    );

  const add = (e: FormEvent) => {
    e.preventDefault();
    cart.add({ productId: p.id, name: p.name, priceCents: p.price.cents, currency: p.price.currency, quantity });
    setAdded(t('Added {n} × {name} to your cart.', { n: quantity, name: p.name }));
  };

  return (
    <main id="main">
      <p>
        <Link to="/">{t('← Catalogue')}</Link>
      </p>
      <h1>{p.name}</h1>
      <p className="muted">
        {categoryName(p.category)} · SKU {p.sku}
      </p>
      <p className="price big">{money(p.price)}</p>
      <p>{p.description}</p>
      <p className={p.inStock ? 'ok' : 'warn'}>{p.inStock ? t('{n} in stock', { n: p.stock }) : t('Out of stock')}</p>
      {p.inStock && (
        <form className="row" onSubmit={add}>
          <label htmlFor="quantity">{t('Quantity')}</label>
          <input
            id="quantity"
            type="number"
            min={1}
            max={p.stock}
            value={quantity}
            onChange={(e) => setQuantity(Math.max(1, Math.min(p.stock, Number(e.target.value) || 1)))}
          />
          <button type="submit">{t('Add to cart')}</button>
        </form>
      )}
      <p role="status">
        {added && (
          <>
            {added} <Link to="/cart">{t('View cart')}</Link>
          </>
        )}
      </p>
      <ProductShelf id="together" title={t('Bought together')} products={p.recommendations} />
    </main>
  );
}

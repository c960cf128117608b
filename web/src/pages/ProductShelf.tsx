import { money } from '../format';
import { Link } from '../nav';

interface ShelfProduct {
  id: string;
  name: string;
  price: { cents: number; currency: string };
}

/** A titled row of product cards (name and price): popular now, bought together, recommended for you. */
export function ProductShelf({ id, title, products }: { id: string; title: string; products: readonly ShelfProduct[] }) {
  if (!products.length) return null;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <ul className="grid">
        {products.map((p) => (
          <li key={p.id} className="card">
            <Link to={`/products/${p.id}`}>{p.name}</Link>
            <span className="price">{money(p.price)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

import { useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { WebCatalogueDocument, WebPopularDocument, type ProductSort } from '../gql/graphql';
import { explain, money } from '../format';
import { categoryName, t } from '../i18n';
import { Link } from '../nav';
import { ProductShelf } from './ProductShelf';

const PAGE = 12;
const SORTS: { value: ProductSort; label: string }[] = [
  { value: 'NEWEST', label: 'Newest' },
  { value: 'POPULAR', label: 'Most popular' },
  { value: 'PRICE_ASC', label: 'Price, low to high' },
  { value: 'PRICE_DESC', label: 'Price, high to low' },
  { value: 'NAME', label: 'Name' },
];

function Popular() {
  const { data } = useQuery(WebPopularDocument, { variables: { first: 4 } });
  return <ProductShelf id="popular" title={t('Popular now')} products={data?.popularProducts ?? []} />;
}

export function CataloguePage() {
  const [draft, setDraft] = useState('');
  const [search, setSearch] = useState('');
  const [category, setCategory] = useState('');
  const [sort, setSort] = useState<ProductSort>('NEWEST');
  const [inStock, setInStock] = useState(false);
  // The cursors of the pages before this one, to go back.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1];
  const firstPage = () => setCursors([null]);

  const { data, previousData, loading, error, refetch } = useQuery(WebCatalogueDocument, {
    variables: { first: PAGE, after, search: search || null, category: category || null, inStock: inStock || null, sort },
  });
  const products = (data ?? previousData)?.products;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSearch(draft.trim());
    firstPage();
  };

  return (
    <main id="main">
      <h1>{t('Catalogue')}</h1>
      {!search && !category && cursors.length === 1 && <Popular />}
      <form role="search" className="filters" onSubmit={submit}>
        <div className="field">
          <label htmlFor="q">{t('Search products')}</label>
          <div className="row">
            <input id="q" type="search" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder={t('e.g. lamp')} />
            <button type="submit">{t('Search')}</button>
          </div>
        </div>
        <div className="field">
          <label htmlFor="category">{t('Category')}</label>
          <select
            id="category"
            value={category}
            onChange={(e) => {
              setCategory(e.target.value);
              firstPage();
            }}
          >
            <option value="">{t('All categories')}</option>
            {products?.categories.map((c) => (
              <option key={c.category} value={c.category}>
                {categoryName(c.category)} ({c.count})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="sort">{t('Sort by')}</label>
          <select
            id="sort"
            value={sort}
            onChange={(e) => {
              setSort(e.target.value as ProductSort);
              firstPage();
            }}
          >
            {SORTS.map((s) => (
              <option key={s.value} value={s.value}>
                {t(s.label)}
              </option>
            ))}
          </select>
        </div>
        <div className="field check">
          <input
            id="in-stock"
            type="checkbox"
            checked={inStock}
            onChange={(e) => {
              setInStock(e.target.checked);
              firstPage();
            }}
          />
          <label htmlFor="in-stock">{t('In stock only')}</label>
        </div>
      </form>

      {error && (
        <p role="alert" className="error">
          {t('Could not load the catalogue:')} {explain(error).message}{' '}
          <button type="button" onClick={() => void refetch()}>
            {t('Try again')}
          </button>
        </p>
      )}
      <p aria-live="polite" className="muted">
        {loading
          ? t('Loading products…')
          : products
            ? search
              ? t('{n} products for “{q}”', { n: products.totalCount, q: search })
              : t('{n} products', { n: products.totalCount })
            : ''}
      </p>
      {products && (
        <ul className="grid" aria-busy={loading}>
          {products.edges.map(({ node: p }) => (
            <li key={p.id} className="card">
              <Link to={`/products/${p.id}`}>{p.name}</Link>
              <span className="muted">{categoryName(p.category)}</span>
              <span className="price">{money(p.price)}</span>
              <span className={p.inStock ? 'ok' : 'warn'}>{p.inStock ? t('{n} in stock', { n: p.stock }) : t('Out of stock')}</span>
            </li>
          ))}
        </ul>
      )}
      <nav aria-label={t('Pages')} className="pager">
        <button type="button" disabled={cursors.length === 1 || loading} onClick={() => setCursors(cursors.slice(0, -1))}>
          {t('Previous page')}
        </button>
        <span>{t('Page {n}', { n: cursors.length })}</span>
        <button
          type="button"
          disabled={!products?.pageInfo.hasNextPage || loading}
          onClick={() => setCursors([...cursors, products!.pageInfo.endCursor ?? null])}
        >
          {t('Next page')}
        </button>
      </nav>
    </main>
  );
}

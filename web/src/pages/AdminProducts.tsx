import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { useSession } from '../App';
import { explain } from '../format';
import { WebAdjustStockDocument, WebCatalogueDocument, WebCreateProductDocument, WebUpdateProductDocument } from '../gql/graphql';
import { t } from '../i18n';
import { AdminGate, AdminNav } from './Admin';

const cents = (euros: string) => Math.round(Number(euros.replace(',', '.')) * 100);

function NewProduct({ onCreated }: { onCreated: (name: string) => void }) {
  const [create, { loading }] = useMutation(WebCreateProductDocument);
  const [form, setForm] = useState({ sku: '', name: '', description: '', category: '', price: '', stock: '0' });
  const [error, setError] = useState<string | null>(null);
  const field = (key: keyof typeof form, label: string, type = 'text') => (
    <div className="field">
      <label htmlFor={`new-${key}`}>{t(label)}</label>
      <input id={`new-${key}`} type={type} required value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} {...(type === 'number' && { min: 0, step: key === 'price' ? '0.01' : '1' })} />
    </div>
  );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const { data } = await create({
        variables: { input: { sku: form.sku, name: form.name, description: form.description, category: form.category, priceCents: cents(form.price), stock: Number(form.stock) } },
      });
      onCreated(data?.createProduct.name ?? form.name);
      setForm({ sku: '', name: '', description: '', category: '', price: '', stock: '0' });
    } catch (err) {
      setError(explain(err).message);
    }
  };
  return (
    <form onSubmit={submit} className="stack" aria-labelledby="new-product">
      <h2 id="new-product">{t('New product')}</h2>
      {field('sku', 'SKU')}
      {field('name', 'Name')}
      {field('description', 'Description')}
      {field('category', 'Category')}
      {field('price', 'Price (€)', 'number')}
      {field('stock', 'Stock', 'number')}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={loading}>
        {t('Create product')}
      </button>
    </form>
  );
}

function ProductRow({ p, onDone }: { p: { id: string; name: string; stock: number; price: { cents: number; currency: string } }; onDone: (m: string) => void }) {
  const [price, setPrice] = useState((p.price.cents / 100).toFixed(2));
  const [delta, setDelta] = useState('');
  const [update, updating] = useMutation(WebUpdateProductDocument);
  const [adjust, adjusting] = useMutation(WebAdjustStockDocument);
  const run = async (f: () => Promise<unknown>, done: string) => {
    try {
      await f();
      onDone(done);
    } catch (err) {
      onDone(`${p.name}: ${explain(err).message}`);
    }
  };
  return (
    <tr>
      <td>{p.name}</td>
      <td>
        <form className="row" onSubmit={(e) => (e.preventDefault(), void run(() => update({ variables: { id: p.id, input: { priceCents: cents(price) } } }), t('{name}: price saved.', { name: p.name })))}>
          <input type="number" min={0} step="0.01" aria-label={t('Price of {name} (€)', { name: p.name })} value={price} onChange={(e) => setPrice(e.target.value)} />
          <button type="submit" disabled={updating.loading}>
            {t('Save')}
          </button>
        </form>
      </td>
      <td>{p.stock}</td>
      <td>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => adjust({ variables: { productId: p.id, delta: Number(delta) } }), t('{name}: stock adjusted.', { name: p.name })).then(() => setDelta(''));
          }}
        >
          <input type="number" required step={1} aria-label={t('Stock change for {name}', { name: p.name })} placeholder="+10 / -2" value={delta} onChange={(e) => setDelta(e.target.value)} />
          <button type="submit" disabled={adjusting.loading}>
            {t('Adjust')}
          </button>
        </form>
      </td>
    </tr>
  );
}

/** Admin: find a product to change its price or stock, or create one. */
export function AdminProductsPage() {
  const session = useSession();
  const [draft, setDraft] = useState('');
  const [search, setSearch] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const isAdmin = session?.user.role === 'ADMIN';
  const { data, loading, error, refetch } = useQuery(WebCatalogueDocument, { variables: { first: 20, search: search || null, sort: 'NEWEST' }, skip: !isAdmin });
  if (!isAdmin) return <AdminGate title="Products" />;
  const done = (m: string) => {
    setMessage(m);
    void refetch();
  };
  return (
    <main id="main">
      <AdminNav />
      <h1>{t('Products')}</h1>
      <form
        role="search"
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(draft.trim());
        }}
      >
        <label htmlFor="admin-q">{t('Search products')}</label>
        <input id="admin-q" type="search" value={draft} onChange={(e) => setDraft(e.target.value)} />
        <button type="submit">{t('Search')}</button>
      </form>
      <p role="status">{message}</p>
      {loading && <p aria-live="polite">{t('Loading products…')}</p>}
      {error && (
        <p role="alert" className="error">
          {explain(error).message}
        </p>
      )}
      {data && (
        <div className="scroll">
          <table className="lines">
            <thead>
              <tr>
                <th scope="col">{t('Product')}</th>
                <th scope="col">{t('Price')}</th>
                <th scope="col">{t('Stock')}</th>
                <th scope="col">{t('Stock change')}</th>
              </tr>
            </thead>
            <tbody>
              {data.products.edges.map(({ node: p }) => (
                <ProductRow key={`${p.id}:${p.price.cents}`} p={p} onDone={done} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && <p className="muted">{t('{n} products', { n: data.products.totalCount })}</p>}
      <NewProduct onCreated={(name) => done(t('{name}: created.', { name }))} />
    </main>
  );
}

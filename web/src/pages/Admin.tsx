import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { useSession } from '../App';
import { date, explain, money } from '../format';
import { WebAdminOrdersDocument, WebAdvanceOrderDocument, type OrderStatus } from '../gql/graphql';
import { Link, useLocation } from '../nav';
import { t } from '../i18n';
import { statusWord } from './Order';

const STATUSES: OrderStatus[] = ['CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED'];
/** The one step forward from each status (the contract's transitions), with its button's words. */
const NEXT: Partial<Record<OrderStatus, { status: OrderStatus; label: string }>> = {
  CONFIRMED: { status: 'SHIPPED', label: 'Mark shipped' },
  SHIPPED: { status: 'DELIVERED', label: 'Mark delivered' },
};

/** The admin pages' own navigation. */
export function AdminNav() {
  const { path } = useLocation();
  const item = (to: string, label: string) => (
    <Link to={to} aria-current={path === to ? 'page' : undefined}>
      {t(label)}
    </Link>
  );
  return (
    <nav aria-label={t('Administration')} className="row subnav">
      {item('/admin/orders', 'Orders')}
      {item('/admin/products', 'Products')}
      {item('/admin/promotions', 'Promotions')}
    </nav>
  );
}

/** What an admin page shows to anyone who is not an admin. */
export function AdminGate({ title }: { title: string }) {
  const session = useSession();
  const { path } = useLocation();
  return (
    <main id="main">
      <h1>{t(title)}</h1>
      <p>{session ? t('This page is for administrators.') : <Link to={`/login?next=${path}`}>{t('Log in as an administrator')}</Link>}</p>
    </main>
  );
}

/** Admin: the orders with a given status, newest first, each advanced one step with a button. */
export function AdminOrdersPage() {
  const session = useSession();
  const [status, setStatus] = useState<OrderStatus>('CONFIRMED');
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const isAdmin = session?.user.role === 'ADMIN';
  const { data, loading, error, refetch } = useQuery(WebAdminOrdersDocument, {
    variables: { first: 20, after: cursors[cursors.length - 1], status },
    skip: !isAdmin,
    fetchPolicy: 'cache-and-network',
  });
  const [advance, advancing] = useMutation(WebAdvanceOrderDocument);
  const [message, setMessage] = useState<string | null>(null);

  if (!isAdmin) return <AdminGate title="Orders" />;

  const step = async (id: string, number: number, to: OrderStatus) => {
    setMessage(null);
    try {
      await advance({ variables: { id, status: to } });
      setMessage(t('Order {n} is now {status}.', { n: number, status: statusWord(to).toLowerCase() }));
      await refetch();
    } catch (err) {
      setMessage(`${t('Order {n}', { n: number })}: ${explain(err).message}`);
    }
  };

  const orders = data?.orders;
  return (
    <main id="main">
      <AdminNav />
      <h1>{t('Orders')}</h1>
      <div className="row">
        <label htmlFor="status">{t('Status')}</label>
        <select
          id="status"
          value={status}
          onChange={(e) => {
            setStatus(e.target.value as OrderStatus);
            setCursors([null]);
          }}
        >
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {statusWord(s)}
            </option>
          ))}
        </select>
        <span className="muted" aria-live="polite">
          {loading && !orders ? t('Loading orders…') : orders ? t('{n} orders', { n: orders.totalCount }) : ''}
        </span>
      </div>
      <p role="status">{message}</p>
      {error && (
        <p role="alert" className="error">
          {t('Could not load the orders:')} {explain(error).message}
        </p>
      )}
      {orders && orders.edges.length > 0 && (
        <table className="lines">
          <thead>
            <tr>
              <th scope="col">{t('Order')}</th>
              <th scope="col">{t('Customer')}</th>
              <th scope="col">{t('Placed')}</th>
              <th scope="col">{t('Total')}</th>
              <th scope="col">{t('Next step')}</th>
            </tr>
          </thead>
          <tbody>
            {orders.edges.map(({ node: o }) => {
              const next = NEXT[o.status];
              return (
                <tr key={o.id}>
                  <td>{t('Order {n}', { n: o.number })}</td>
                  <td>{o.customer.email}</td>
                  <td>{date(o.createdAt)}</td>
                  <td>{money(o.total)}</td>
                  <td>
                    {next && (
                      <button type="button" disabled={advancing.loading} onClick={() => void step(o.id, o.number, next.status)} aria-label={t('{label}: order {n}', { label: t(next.label), n: o.number })}>
                        {t(next.label)}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {orders && !orders.edges.length && <p>{t('No orders with this status.')}</p>}
      <nav aria-label={t('Pages')} className="pager">
        <button type="button" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          {t('Previous page')}
        </button>
        <button type="button" disabled={!orders?.pageInfo.hasNextPage} onClick={() => setCursors([...cursors, orders!.pageInfo.endCursor ?? null])}>
          {t('Next page')}
        </button>
      </nav>
    </main>
  );
}

import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { useSession } from '../App';
import { date, explain, money } from '../format';
import { WebAdminOrdersDocument, WebAdvanceOrderDocument, type OrderStatus } from '../gql/graphql';
import { Link } from '../nav';
import { STATUS_WORDS } from './Order';

const STATUSES: OrderStatus[] = ['CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED'];
/** The one step forward from each status (the contract's transitions), with its button's words. */
const NEXT: Partial<Record<OrderStatus, { status: OrderStatus; label: string }>> = {
  CONFIRMED: { status: 'SHIPPED', label: 'Mark shipped' },
  SHIPPED: { status: 'DELIVERED', label: 'Mark delivered' },
};

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

  if (!isAdmin)
    return (
      <main id="main">
        <h1>Orders</h1>
        <p>{session ? 'This page is for administrators.' : <Link to="/login?next=/admin/orders">Log in as an administrator</Link>}</p>
      </main>
    );

  const step = async (id: string, number: number, to: OrderStatus) => {
    setMessage(null);
    try {
      await advance({ variables: { id, status: to } });
      setMessage(`Order ${number} is now ${STATUS_WORDS[to].toLowerCase()}.`);
      await refetch();
    } catch (err) {
      setMessage(`Order ${number}: ${explain(err).message}`);
    }
  };

  const orders = data?.orders;
  return (
    <main id="main">
      <h1>Orders</h1>
      <div className="row">
        <label htmlFor="status">Status</label>
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
              {STATUS_WORDS[s]}
            </option>
          ))}
        </select>
        <span className="muted" aria-live="polite">
          {loading && !orders ? 'Loading orders…' : orders ? `${orders.totalCount} orders` : ''}
        </span>
      </div>
      <p role="status">{message}</p>
      {error && (
        <p role="alert" className="error">
          Could not load the orders: {explain(error).message}
        </p>
      )}
      {orders && orders.edges.length > 0 && (
        <table className="lines">
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Customer</th>
              <th scope="col">Placed</th>
              <th scope="col">Total</th>
              <th scope="col">Next step</th>
            </tr>
          </thead>
          <tbody>
            {orders.edges.map(({ node: o }) => {
              const next = NEXT[o.status];
              return (
                <tr key={o.id}>
                  <td>Order {o.number}</td>
                  <td>{o.customer.email}</td>
                  <td>{date(o.createdAt)}</td>
                  <td>{money(o.total)}</td>
                  <td>
                    {next && (
                      <button type="button" disabled={advancing.loading} onClick={() => void step(o.id, o.number, next.status)} aria-label={`${next.label}: order ${o.number}`}>
                        {next.label}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {orders && !orders.edges.length && <p>No orders with this status.</p>}
      <nav aria-label="Pages" className="pager">
        <button type="button" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          Previous page
        </button>
        <button type="button" disabled={!orders?.pageInfo.hasNextPage} onClick={() => setCursors([...cursors, orders!.pageInfo.endCursor ?? null])}>
          Next page
        </button>
      </nav>
    </main>
  );
}

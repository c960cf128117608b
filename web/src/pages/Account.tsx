import { useQuery } from '@apollo/client/react';
import { useSession } from '../App';
import { explain, money } from '../format';
import { WebMyAccountDocument } from '../gql/graphql';
import { Link } from '../nav';
import { STATUS_WORDS } from './Order';

export function AccountPage() {
  const session = useSession();
  const { data, loading, error, refetch } = useQuery(WebMyAccountDocument, { skip: !session, fetchPolicy: 'cache-and-network' });
  if (!session)
    return (
      <main id="main">
        <h1>My account</h1>
        <p>
          <Link to="/login?next=/account">Log in</Link> to see your account.
        </p>
      </main>
    );
  const me = data?.me;
  return (
    <main id="main">
      <h1>My account</h1>
      {me && (
        <p>
          {me.name} · {me.email}
        </p>
      )}
      <h2>My orders</h2>
      {loading && !me && <p aria-live="polite">Loading your orders…</p>}
      {error && (
        <p role="alert" className="error">
          Could not load your orders: {explain(error).message}{' '}
          <button type="button" onClick={() => void refetch()}>
            Try again
          </button>
        </p>
      )}
      {me && !me.orders.edges.length && <p>No orders yet.</p>}
      {me && me.orders.edges.length > 0 && (
        <table className="lines">
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Status</th>
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {me.orders.edges.map(({ node: o }) => (
              <tr key={o.id}>
                <td>
                  <Link to={`/orders/${o.id}`}>Order {o.number}</Link>
                </td>
                <td>{STATUS_WORDS[o.status] ?? o.status}</td>
                <td>{money(o.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}

import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { useEffect } from 'react';
import { onReconnect } from '../apollo';
import { useSession } from '../App';
import { date, explain, money } from '../format';
import { WebCancelOrderDocument, WebOrderDocument, WebOrderUpdatedDocument } from '../gql/graphql';
import { t } from '../i18n';
import { Link, useLocation } from '../nav';

const STATUS_WORDS: Record<string, string> = {
  CONFIRMED: 'Confirmed',
  SHIPPED: 'Shipped',
  DELIVERED: 'Delivered',
  CANCELLED: 'Cancelled',
};
/** An order status in words, in the shopper's language. */
export const statusWord = (status: string) => t(STATUS_WORDS[status] ?? status);

/**
 * Follows the order live: each `orderUpdated` event lands in Apollo's cache under the same
 * Order id, so the page re-renders by itself. The socket reconnects after a drop (and the page
 * then refetches what it may have missed); a subscription that ends in error (the token
 * expired while connected) starts again with a fresh token.
 */
function useLiveOrder(id: string, refetch: () => unknown, skip: boolean) {
  const { error, restart } = useSubscription(WebOrderUpdatedDocument, { variables: { id }, skip });
  useEffect(() => onReconnect(() => void refetch()), [refetch]);
  useEffect(() => {
    if (!error) return;
    const timer = setTimeout(() => {
      void refetch();
      restart();
    }, 2000);
    return () => clearTimeout(timer);
  }, [error, refetch, restart]);
}

export function OrderPage({ id }: { id: string }) {
  const session = useSession();
  const { search } = useLocation();
  const { data, loading, error, refetch } = useQuery(WebOrderDocument, { variables: { id }, skip: !session });
  useLiveOrder(id, refetch, !session);
  const [cancel, cancelling] = useMutation(WebCancelOrderDocument);

  if (!session)
    return (
      <main id="main">
        <h1>{t('Your order')}</h1>
        <p>
          <Link to={`/login?next=/orders/${id}`}>{t('Log in to see this order.')}</Link>
        </p>
      </main>
    );
  if (loading)
    return (
      <main id="main">
        <p aria-live="polite">{t('Loading your order…')}</p>
      </main>
    );
  const order = data?.order;
  if (error || !order)
    return (
      <main id="main">
        <h1>{t('Order not available')}</h1>
        <p role="alert">{error ? explain(error).message : t('This order does not exist.')}</p>
        <Link to="/account">{t('My account')}</Link>
      </main>
    );

  return (
    <main id="main">
      {search.get('placed') && (
        <p role="status" className="banner ok">
          {t('Thank you! Your order number is')} <strong data-testid="order-number">{order.number}</strong>.
        </p>
      )}
      <h1>{t('Order {n}', { n: order.number })}</h1>
      <p>
        {t('Status:')}{' '}
        <strong aria-live="polite" data-testid="order-status" data-status={order.status}>
          {statusWord(order.status)}
        </strong>
      </p>
      <ol className="history" aria-label={t('Status history')}>
        {order.statusHistory.map((h) => (
          <li key={h.status + h.at}>
            {statusWord(h.status)}: <time dateTime={h.at}>{date(h.at)}</time>
          </li>
        ))}
      </ol>
      <table className="lines">
        <thead>
          <tr>
            <th scope="col">{t('Product')}</th>
            <th scope="col">{t('Quantity')}</th>
            <th scope="col">{t('Price')}</th>
          </tr>
        </thead>
        <tbody>
          {order.items.map((item) => (
            <tr key={item.product.id}>
              <td>
                <Link to={`/products/${item.product.id}`}>{item.product.name}</Link>
              </td>
              <td>{item.quantity}</td>
              <td>{money(item.lineTotal)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="totals">
        <dt>{t('Subtotal')}</dt>
        <dd>{money(order.subtotal)}</dd>
        {order.discount.cents > 0 && (
          <>
            <dt>{t('Discount')}</dt>
            <dd>−{money(order.discount)}</dd>
          </>
        )}
        <dt>{t('Total')}</dt>
        <dd>{money(order.total)}</dd>
      </dl>
      {order.status === 'CONFIRMED' && (
        <p>
          <button type="button" onClick={() => void cancel({ variables: { id } }).catch(() => undefined)} disabled={cancelling.loading}>
            {t('Cancel this order')}
          </button>
          {cancelling.error && (
            <span role="alert" className="error">
              {' '}
              {explain(cancelling.error).message}
            </span>
          )}
        </p>
      )}
      <p>
        <Link to="/account">{t('All my orders')}</Link>
      </p>
    </main>
  );
}

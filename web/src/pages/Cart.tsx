import { useApolloClient, useMutation } from '@apollo/client/react';
import { useMemo, useState, type FormEvent } from 'react';
import { useSession } from '../App';
import { cart, subtotalCents, useCart } from '../cart';
import { explain, money, promoReason } from '../format';
import { t } from '../i18n';
import { WebPlaceOrderDocument, WebPromotionDocument, type WebPromotionQuery } from '../gql/graphql';
import { Link, navigate } from '../nav';

type Promotion = NonNullable<WebPromotionQuery['promotion']>;

/** The discount the shop will give, computed as the promotions subgraph does (percent rounded down). */
function discountCents(p: Promotion, subtotal: number) {
  const raw = p.percentOff != null ? Math.floor((subtotal * p.percentOff) / 100) : (p.amountOff?.cents ?? 0);
  return Math.min(raw, subtotal);
}

export function CartPage() {
  const lines = useCart();
  const session = useSession();
  const client = useApolloClient();
  const [code, setCode] = useState('');
  const [promo, setPromo] = useState<Promotion | null>(null);
  const [promoMessage, setPromoMessage] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const [checkoutError, setCheckoutError] = useState<string | null>(null);
  const [placeOrder, { loading: placing }] = useMutation(WebPlaceOrderDocument);
  // One key per cart content and code: a retried checkout never places the order twice.
  const idempotencyKey = useMemo(() => crypto.randomUUID(), [lines, promo]);

  const currency = lines[0]?.currency ?? 'EUR';
  const subtotal = subtotalCents(lines);
  const minimum = promo?.minSubtotal?.cents ?? 0;
  const promoFits = promo && subtotal >= minimum;
  const discount = promo && promoFits ? discountCents(promo, subtotal) : 0;

  const apply = async (e: FormEvent) => {
    e.preventDefault();
    const wanted = code.trim();
    if (!wanted) return;
    setChecking(true);
    setPromo(null);
    setPromoMessage(null);
    try {
      const { data } = await client.query({ query: WebPromotionDocument, variables: { code: wanted }, fetchPolicy: 'network-only' });
      const p = data?.promotion;
      if (!p) setPromoMessage(promoReason('UNKNOWN'));
      else if (!p.active) setPromoMessage(promoReason('INACTIVE'));
      else setPromo(p);
    } catch (err) {
      setPromoMessage(`${t('Could not check the code:')} ${explain(err).message}`);
    } finally {
      setChecking(false);
    }
  };

  const checkout = async () => {
    setCheckoutError(null);
    try {
      const { data } = await placeOrder({
        variables: {
          items: lines.map((l) => ({ productId: l.productId, quantity: l.quantity })),
          promoCode: promo && promoFits ? promo.code : null,
          idempotencyKey,
        },
      });
      const order = data?.placeOrder;
      if (!order) throw new Error('no order');
      cart.clear();
      navigate(`/orders/${order.id}?placed=1`);
    } catch (err) {
      const info = explain(err);
      if (info.code === 'OUT_OF_STOCK') {
        const line = lines.find((l) => l.productId === info.extensions.productId);
        const available = Number(info.extensions.available ?? 0);
        const name = line?.name ?? t('A product');
        setCheckoutError(
          available
            ? t('{name} is out of stock: only {n} left. Lower the quantity to order.', { name, n: available })
            : t('{name} is out of stock: none left. Remove it to order the rest.', { name }),
        );
      } else if (info.code === 'PROMO_CODE_INVALID') {
        setPromo(null);
        setCheckoutError(`${t('The promo code was refused:')} ${info.message}`);
      } else setCheckoutError(info.message);
    }
  };

  if (!lines.length)
    return (
      <main id="main">
        <h1>{t('Your cart')}</h1>
        <p>{t('Your cart is empty.')}</p>
        <Link to="/">{t('Browse the catalogue')}</Link>
      </main>
    );

  return (
    <main id="main">
      <h1>{t('Your cart')}</h1>
      <table className="lines">
        <thead>
          <tr>
            <th scope="col">{t('Product')}</th>
            <th scope="col">{t('Quantity')}</th>
            <th scope="col">{t('Price')}</th>
            <th scope="col">
              <span className="sr-only">{t('Remove')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={l.productId}>
              <td>
                <Link to={`/products/${l.productId}`}>{l.name}</Link>
              </td>
              <td>
                <input
                  type="number"
                  min={1}
                  aria-label={t('Quantity of {name}', { name: l.name })}
                  value={l.quantity}
                  onChange={(e) => cart.setQuantity(l.productId, Math.max(1, Number(e.target.value) || 1))}
                />
              </td>
              <td>{money({ cents: l.priceCents * l.quantity, currency: l.currency })}</td>
              <td>
                <button type="button" className="link" onClick={() => cart.remove(l.productId)} aria-label={t('Remove {name}', { name: l.name })}>
                  {t('Remove')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <form className="row" onSubmit={apply}>
        <label htmlFor="promo">{t('Promo code')}</label>
        <input id="promo" value={code} onChange={(e) => setCode(e.target.value)} autoCapitalize="characters" />
        <button type="submit" disabled={checking}>
          {checking ? t('Checking…') : t('Apply')}
        </button>
      </form>
      <div role="status" className="promo">
        {promoMessage && <p className="error">{promoMessage}</p>}
        {promo && promoFits && (
          <p className="ok">
            {promo.percentOff != null
              ? t('{code}: {n} % off', { code: promo.code, n: promo.percentOff })
              : t('{code}: {amount} off', { code: promo.code, amount: money(promo.amountOff) })}{' '}
            ({promo.description})
          </p>
        )}
        {promo && !promoFits && (
          <p className="error">
            {promoReason('MIN_SUBTOTAL')} ({money(promo.minSubtotal)})
          </p>
        )}
      </div>

      <dl className="totals">
        <dt>{t('Subtotal')}</dt>
        <dd>{money({ cents: subtotal, currency })}</dd>
        {discount > 0 && (
          <>
            <dt>{t('Discount')}</dt>
            <dd data-testid="discount">−{money({ cents: discount, currency })}</dd>
          </>
        )}
        <dt>{t('Total')}</dt>
        <dd data-testid="total">{money({ cents: subtotal - discount, currency })}</dd>
      </dl>

      {checkoutError && (
        <p role="alert" className="error">
          {checkoutError}
        </p>
      )}
      {session ? (
        <button type="button" className="primary" onClick={() => void checkout()} disabled={placing}>
          {placing ? t('Placing your order…') : t('Place order')}
        </button>
      ) : (
        <p>
          {t('Log in or sign up to place your order.')} <Link to="/login?next=/cart">{t('Log in')}</Link> ·{' '}
          <Link to="/signup?next=/cart">{t('Sign up')}</Link>
        </p>
      )}
    </main>
  );
}

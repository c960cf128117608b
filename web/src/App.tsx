import { useApolloClient, useMutation } from '@apollo/client/react';
import { useEffect, useSyncExternalStore } from 'react';
import { useCart } from './cart';
import { setLang, t, useLang, type Lang } from './i18n';
import { WebLogOutDocument } from './gql/graphql';
import { Link, navigate, useLocation } from './nav';
import { AccountPage } from './pages/Account';
import { AdminOrdersPage } from './pages/Admin';
import { AdminProductsPage } from './pages/AdminProducts';
import { AdminPromotionsPage } from './pages/AdminPromotions';
import { AuthPage } from './pages/Auth';
import { CartPage } from './pages/Cart';
import { CataloguePage } from './pages/Catalogue';
import { OrderPage } from './pages/Order';
import { ProductPage } from './pages/Product';
import { getSession, sessionEndedReason, setSession, subscribeSession } from './session';

export function useSession() {
  return useSyncExternalStore(subscribeSession, getSession);
}

function Page() {
  const { path } = useLocation();
  let m: RegExpMatchArray | null;
  if (path === '/') return <CataloguePage />;
  if ((m = path.match(/^\/products\/([^/]+)$/))) return <ProductPage id={decodeURIComponent(m[1])} />;
  if (path === '/cart') return <CartPage />;
  if (path === '/login') return <AuthPage mode="login" />;
  if (path === '/signup') return <AuthPage mode="signup" />;
  if (path === '/account') return <AccountPage />;
  if ((m = path.match(/^\/orders\/([^/]+)$/))) return <OrderPage id={decodeURIComponent(m[1])} />;
  if (path === '/admin/orders') return <AdminOrdersPage />;
  if (path === '/admin/products') return <AdminProductsPage />;
  if (path === '/admin/promotions') return <AdminPromotionsPage />;
  return (
    <main id="main">
      <h1>{t('Page not found')}</h1>
      <p>
        <Link to="/">{t('Back to the catalogue')}</Link>
      </p>
    </main>
  );
}

export function App() {
  const session = useSession();
  const lines = useCart();
  const client = useApolloClient();
  const count = lines.reduce((n, l) => n + l.quantity, 0);
  const { path } = useLocation();
  const [endSession] = useMutation(WebLogOutDocument);
  const lang = useLang();

  // A session that ended by itself (refresh refused: revoked or spent) sends the shopper to log in.
  useEffect(
    () =>
      subscribeSession(() => {
        if (getSession()) return;
        void client.clearStore();
        if (sessionEndedReason() === 'expired' && location.pathname !== '/login')
          navigate(`/login?next=${encodeURIComponent(location.pathname)}`, true);
      }),
    [client],
  );

  // Ends the session on the server too (its refresh token stops working), then forgets it here.
  const logOut = () => {
    const refreshToken = session?.refreshToken;
    if (refreshToken) void endSession({ variables: { refreshToken } }).catch(() => undefined);
    setSession(null);
    navigate('/');
  };

  return (
    <>
      <a className="skip" href="#main">
        {t('Skip to content')}
      </a>
      <header className="top">
        <Link to="/" className="brand" aria-current={path === '/' ? 'page' : undefined}>
          {t('Shop')}
        </Link>
        <nav aria-label={t('Main')}>
          <Link to="/cart" aria-current={path === '/cart' ? 'page' : undefined}>
            {count ? t('Cart ({n})', { n: count }) : t('Cart')}
          </Link>
          {session ? (
            <>
              {session.user.role === 'ADMIN' && (
                <Link to="/admin/orders" aria-current={path.startsWith('/admin/') ? 'page' : undefined}>
                  {t('Admin')}
                </Link>
              )}
              <Link to="/account" aria-current={path === '/account' ? 'page' : undefined}>
                {t('My account')}
              </Link>
              <button type="button" className="link" onClick={logOut}>
                {t('Log out')}
              </button>
            </>
          ) : (
            <>
              <Link to="/login">{t('Log in')}</Link>
              <Link to="/signup">{t('Sign up')}</Link>
            </>
          )}
          <select aria-label={t('Language')} value={lang} onChange={(e) => setLang(e.target.value as Lang)} className="lang">
            <option value="en">English</option>
            <option value="fr">Français</option>
          </select>
        </nav>
      </header>
      <Page />
    </>
  );
}

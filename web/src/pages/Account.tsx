import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { useSession } from '../App';
import { date, explain, money } from '../format';
import { WebMyAccountDocument, WebUpdatePreferencesDocument, type WebMyAccountQuery } from '../gql/graphql';
import { Link } from '../nav';
import { setLang, t, type Lang } from '../i18n';
import { statusWord } from './Order';
import { ProductShelf } from './ProductShelf';

export function AccountPage() {
  const session = useSession();
  const { data, loading, error, refetch } = useQuery(WebMyAccountDocument, { skip: !session, fetchPolicy: 'cache-and-network' });
  if (!session)
    return (
      <main id="main">
        <h1>{t('My account')}</h1>
        <p>
          <Link to="/login?next=/account">{t('Log in to see your account.')}</Link>
        </p>
      </main>
    );
  const me = data?.me;
  return (
    <main id="main">
      <h1>{t('My account')}</h1>
      {me && (
        <p>
          {me.name} · {me.email} · {me.marketingOptIn ? t('You get our offers by email.') : t('You do not get our offers by email.')}
        </p>
      )}
      {me && <PreferencesForm me={me} />}
      <h2>{t('My orders')}</h2>
      {loading && !me && <p aria-live="polite">{t('Loading your orders…')}</p>}
      {error && (
        <p role="alert" className="error">
          {t('Could not load your orders:')} {explain(error).message}{' '}
          <button type="button" onClick={() => void refetch()}>
            {t('Try again')}
          </button>
        </p>
      )}
      {me && !me.orders.edges.length && <p>{t('No orders yet.')}</p>}
      {me && me.orders.edges.length > 0 && (
        <table className="lines">
          <thead>
            <tr>
              <th scope="col">{t('Order')}</th>
              <th scope="col">{t('Status')}</th>
              <th scope="col">{t('Total')}</th>
            </tr>
          </thead>
          <tbody>
            {me.orders.edges.map(({ node: o }) => (
              <tr key={o.id}>
                <td>
                  <Link to={`/orders/${o.id}`}>{t('Order {n}', { n: o.number })}</Link>
                </td>
                <td>{statusWord(o.status)}</td>
                <td>{money(o.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {me && <ProductShelf id="for-you" title={t('Recommended for you')} products={me.recommendations} />}
      {me && (
        <section aria-labelledby="messages">
          <h2 id="messages">{t('Messages we sent you')}</h2>
          {me.notifications.edges.length ? (
            <ul className="plain">
              {me.notifications.edges.map(({ node: n }) => (
                <li key={n.id}>
                  <time dateTime={n.createdAt}>{date(n.createdAt)}</time> · {n.channel === 'EMAIL' ? t('Email') : 'SMS'}: {n.subject}{' '}
                  <span className="muted">({n.status.toLowerCase()})</span>
                </li>
              ))}
            </ul>
          ) : (
            <p>{t('No messages yet.')}</p>
          )}
        </section>
      )}
    </main>
  );
}

type Me = NonNullable<WebMyAccountQuery['me']>;

/** Marketing emails, the language of our messages (the page follows it) and the SMS number. */
function PreferencesForm({ me }: { me: Me }) {
  const [form, setForm] = useState({ marketingOptIn: me.marketingOptIn, locale: me.locale, phone: me.phone ?? '' });
  const [save, { loading }] = useMutation(WebUpdatePreferencesDocument);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setOutcome(null);
    try {
      const { data } = await save({ variables: { input: { marketingOptIn: form.marketingOptIn, locale: form.locale, phone: form.phone.trim() || null } } });
      if (data) setForm({ ...form, phone: data.updatePreferences.phone ?? '' });
      setLang(form.locale as Lang);
      setOutcome({ ok: true, text: t('Preferences saved.') });
    } catch (err) {
      setOutcome({ ok: false, text: `${t('Could not save:')} ${explain(err).message}` });
    }
  };
  return (
    <section aria-labelledby="preferences">
      <h2 id="preferences">{t('Preferences')}</h2>
      <form onSubmit={(e) => void submit(e)}>
        <div className="row">
          <input id="pref-marketing" type="checkbox" checked={form.marketingOptIn} onChange={(e) => setForm({ ...form, marketingOptIn: e.target.checked })} />
          <label htmlFor="pref-marketing">{t('Send me offers by email')}</label>
        </div>
        <div className="field">
          <label htmlFor="pref-locale">{t('Language of our messages')}</label>
          <select id="pref-locale" value={form.locale} onChange={(e) => setForm({ ...form, locale: e.target.value })}>
            <option value="en">English</option>
            <option value="fr">Français</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="pref-phone">{t('Phone for SMS updates (optional)')}</label>
          <input id="pref-phone" type="tel" autoComplete="tel" aria-describedby="pref-phone-hint" value={form.phone} onChange={(e) => setForm({ ...form, phone: e.target.value })} />
          <small id="pref-phone-hint" className="muted">
            {t('International format, like +33612345678')}
          </small>
        </div>
        <button type="submit" disabled={loading}>
          {loading ? t('Saving…') : t('Save preferences')}
        </button>
        <p aria-live="polite" role={outcome && !outcome.ok ? 'alert' : undefined} className={outcome && !outcome.ok ? 'error' : undefined}>
          {outcome?.text}
        </p>
      </form>
    </section>
  );
}

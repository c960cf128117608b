import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { explain } from '../format';
import { WebLogInDocument, WebSignUpDocument } from '../gql/graphql';
import { t } from '../i18n';
import { Link, navigate, useLocation } from '../nav';
import { sessionEndedReason, setSession } from '../session';

export function AuthPage({ mode }: { mode: 'login' | 'signup' }) {
  const { search } = useLocation();
  const next = search.get('next') ?? '/';
  const [logIn, logInState] = useMutation(WebLogInDocument);
  const [signUp, signUpState] = useMutation(WebSignUpDocument);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [marketing, setMarketing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const busy = logInState.loading || signUpState.loading;
  const signingUp = mode === 'signup';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const result = signingUp
        ? (await signUp({ variables: { email, password, name, marketingOptIn: marketing } })).data?.signUp
        : (await logIn({ variables: { email, password } })).data?.logIn;
      if (!result) throw new Error('no answer');
      setSession(result);
      navigate(next.startsWith('/') ? next : '/', true);
    } catch (err) {
      setError(explain(err).message);
    }
  };

  return (
    <main id="main" className="narrow">
      <h1>{signingUp ? t('Create your account') : t('Log in')}</h1>
      {sessionEndedReason() === 'expired' && !signingUp && <p role="alert">{t('Your session has ended. Please log in again.')}</p>}
      <form onSubmit={submit} className="stack">
        {signingUp && (
          <div className="field">
            <label htmlFor="name">{t('Name')}</label>
            <input id="name" required autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
          </div>
        )}
        <div className="field">
          <label htmlFor="email">{t('Email')}</label>
          <input id="email" type="email" required autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="password">{t('Password')}</label>
          <input
            id="password"
            type="password"
            required
            minLength={signingUp ? 8 : undefined}
            autoComplete={signingUp ? 'new-password' : 'current-password'}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {signingUp && (
          <div className="field check">
            <input id="marketing" type="checkbox" checked={marketing} onChange={(e) => setMarketing(e.target.checked)} />
            <label htmlFor="marketing">{t('Email me offers and new promo codes')}</label>
          </div>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? t('Please wait…') : signingUp ? t('Sign up') : t('Log in')}
        </button>
      </form>
      <p>
        {signingUp ? (
          <>
            {t('Already have an account?')} <Link to={`/login?next=${encodeURIComponent(next)}`}>{t('Log in')}</Link>
          </>
        ) : (
          <>
            {t('New here?')} <Link to={`/signup?next=${encodeURIComponent(next)}`}>{t('Create an account')}</Link>
          </>
        )}
      </p>
    </main>
  );
}

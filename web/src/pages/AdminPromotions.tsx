import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { useSession } from '../App';
import { explain, money } from '../format';
import { WebAdminPromotionsDocument, WebCreatePromotionDocument, WebDeactivatePromotionDocument } from '../gql/graphql';
import { t } from '../i18n';
import { AdminGate, AdminNav } from './Admin';

const EMPTY = { code: '', description: '', kind: 'percent', value: '', minSubtotal: '', maxRedemptions: '' };

/** Admin: every promotion with its redemption count; create one, deactivate one. */
export function AdminPromotionsPage() {
  const session = useSession();
  const isAdmin = session?.user.role === 'ADMIN';
  const { data, loading, error, refetch } = useQuery(WebAdminPromotionsDocument, { skip: !isAdmin, fetchPolicy: 'cache-and-network' });
  const [create, creating] = useMutation(WebCreatePromotionDocument);
  const [deactivate, deactivating] = useMutation(WebDeactivatePromotionDocument);
  const [form, setForm] = useState(EMPTY);
  const [message, setMessage] = useState<string | null>(null);
  if (!isAdmin) return <AdminGate title="Promotions" />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMessage(null);
    const value = Number(form.value.replace(',', '.'));
    try {
      await create({
        variables: {
          input: {
            code: form.code,
            description: form.description,
            ...(form.kind === 'percent' ? { percentOff: Math.round(value) } : { amountOffCents: Math.round(value * 100) }),
            ...(form.minSubtotal && { minSubtotalCents: Math.round(Number(form.minSubtotal.replace(',', '.')) * 100) }),
            ...(form.maxRedemptions && { maxRedemptions: Number(form.maxRedemptions) }),
          },
        },
      });
      setMessage(t('{code}: created.', { code: form.code.toUpperCase() }));
      setForm(EMPTY);
      void refetch();
    } catch (err) {
      setMessage(explain(err).message);
    }
  };
  const stop = async (code: string) => {
    try {
      await deactivate({ variables: { code } });
      setMessage(t('{code}: deactivated.', { code }));
    } catch (err) {
      setMessage(explain(err).message);
    }
  };
  const input = (key: keyof typeof EMPTY, label: string, extra: object = {}) => (
    <div className="field">
      <label htmlFor={`promo-${key}`}>{t(label)}</label>
      <input id={`promo-${key}`} value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} {...extra} />
    </div>
  );

  return (
    <main id="main">
      <AdminNav />
      <h1>{t('Promotions')}</h1>
      <p role="status">{message}</p>
      {loading && !data && <p aria-live="polite">{t('Loading promotions…')}</p>}
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
                <th scope="col">{t('Code')}</th>
                <th scope="col">{t('Offer')}</th>
                <th scope="col">{t('Used')}</th>
                <th scope="col">{t('Status')}</th>
              </tr>
            </thead>
            <tbody>
              {data.promotions.map((p) => (
                <tr key={p.id}>
                  <td>
                    <strong>{p.code}</strong>
                    <br />
                    <span className="muted">{p.description}</span>
                  </td>
                  <td>
                    {p.percentOff != null ? `${p.percentOff} %` : money(p.amountOff)}
                    {p.minSubtotal && ` · ${t('from {amount}', { amount: money(p.minSubtotal) })}`}
                  </td>
                  <td>
                    {p.redemptionCount}
                    {p.maxRedemptions != null && ` / ${p.maxRedemptions}`}
                  </td>
                  <td>
                    {p.active ? t('Active') : t('Inactive')}{' '}
                    {p.active && (
                      <button type="button" disabled={deactivating.loading} onClick={() => void stop(p.code)} aria-label={t('Deactivate {code}', { code: p.code })}>
                        {t('Deactivate')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form onSubmit={submit} className="stack" aria-labelledby="new-promo">
        <h2 id="new-promo">{t('New promotion')}</h2>
        {input('code', 'Code', { required: true, pattern: '[A-Za-z0-9_-]{3,32}' })}
        {input('description', 'Description', { required: true })}
        <div className="field">
          <label htmlFor="promo-kind">{t('Kind')}</label>
          <select id="promo-kind" value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })}>
            <option value="percent">{t('Percent off')}</option>
            <option value="amount">{t('Amount off (€)')}</option>
          </select>
        </div>
        {input('value', form.kind === 'percent' ? 'Percent off' : 'Amount off (€)', { required: true, type: 'number', min: 1, step: form.kind === 'percent' ? 1 : 0.01 })}
        {input('minSubtotal', 'Minimum subtotal (€, optional)', { type: 'number', min: 0, step: 0.01 })}
        {input('maxRedemptions', 'Most uses in all (optional)', { type: 'number', min: 1, step: 1 })}
        <button type="submit" disabled={creating.loading}>
          {t('Create promotion')}
        </button>
      </form>
    </main>
  );
}

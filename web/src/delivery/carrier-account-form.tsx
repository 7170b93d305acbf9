import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CarrierAccount, CarrierAccountBody, CarrierAdapter } from '../api/types.ts';
import { ApiError, api } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { fieldLayout } from '../components/form-fields.tsx';
import { Notice } from '../components/notice.tsx';
import { describeField } from '../errors.ts';

export const carrierAdapters = ['correios', 'melhor_envio'] as const satisfies readonly CarrierAdapter[];

const homologation: Record<CarrierAdapter, string> = {
  correios: 'https://apihom.correios.com.br',
  melhor_envio: 'https://sandbox.melhorenvio.com.br',
};

type Key =
  | 'carrierCode'
  | 'baseUrl'
  | 'postingCard'
  | 'contract'
  | 'dr'
  | 'services'
  | 'contactEmail'
  | 'user'
  | 'accessCode'
  | 'token'
  | 'webhookSecret';
type Errors = Partial<Record<Key, string>>;

const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/**
 * Create (no `account`) or change a node's carrier account. The fields follow the adapter; the credentials
 * are never shown: left blank on a change, the stored ones are kept.
 */
export function CarrierAccountForm(props: {
  nodeCode: string;
  account?: CarrierAccount;
  onSaved(account: CarrierAccount): void;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const ids = useId();
  const editing = props.account;
  const s = editing?.settings ?? {};
  const [carrierCode, setCarrierCode] = useState(editing?.carrierCode ?? '');
  const [adapter, setAdapter] = useState<CarrierAdapter>(editing?.adapter ?? 'correios');
  const [values, setValues] = useState<Record<Key, string>>({
    carrierCode: '',
    baseUrl: text(s.baseUrl),
    postingCard: text(s.postingCard),
    contract: text(s.contract),
    dr: text(s.dr),
    services: Array.isArray(s.services) ? s.services.join(', ') : '',
    contactEmail: text(s.contactEmail),
    user: '',
    accessCode: '',
    token: '',
    webhookSecret: '',
  });
  const [active, setActive] = useState(editing?.active ?? true);
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const { field, described } = fieldLayout<Key>(ids, errors);
  const keeping = editing !== undefined && editing.adapter === adapter;

  const input = (key: Key, opts: { type?: string; hint?: ReactNode; label: string; secret?: boolean }) =>
    field(
      key,
      opts.label,
      <input
        id={`${ids}-${key}`}
        type={opts.type ?? 'text'}
        value={values[key]}
        autoComplete={opts.secret ? 'new-password' : 'off'}
        aria-invalid={errors[key] ? true : undefined}
        aria-describedby={described(key, opts.hint !== undefined)}
        onChange={(e) => {
          setValues((v) => ({ ...v, [key]: e.target.value }));
          setErrors((x) => ({ ...x, [key]: undefined }));
        }}
      />,
      opts.hint,
    );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const code = (editing?.carrierCode ?? carrierCode).trim().toUpperCase();
    if (!code) {
      setErrors({ carrierCode: t('fields.VALIDATION.REQUIRED') });
      setFormError(t('carriers.invalid'));
      return;
    }
    const services = values.services
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    const settings: Record<string, unknown> =
      adapter === 'correios'
        ? {
            postingCard: values.postingCard.trim(),
            contract: values.contract.trim(),
            dr: /^\d+$/.test(values.dr.trim()) ? Number(values.dr.trim()) : values.dr.trim(),
          }
        : { contactEmail: values.contactEmail.trim() };
    if (values.baseUrl.trim()) settings.baseUrl = values.baseUrl.trim();
    if (services.length) settings.services = services;
    const secrets: Record<string, string> =
      adapter === 'correios'
        ? { user: values.user, accessCode: values.accessCode }
        : { token: values.token, webhookSecret: values.webhookSecret };
    const typed = Object.values(secrets).some((v) => v.trim() !== '');
    const body: CarrierAccountBody = {
      adapter,
      settings,
      active,
      ...(keeping && !typed ? {} : { credentials: secrets }),
    };
    setSaving(true);
    setFormError(null);
    try {
      const saved = await api<CarrierAccount>(
        'PUT',
        `/api/v1/nodes/${encodeURIComponent(props.nodeCode)}/carrier-accounts/${encodeURIComponent(code)}`,
        body,
      );
      props.onSaved(saved);
    } catch (err) {
      const byField: Errors = {};
      if (err instanceof ApiError)
        for (const fe of err.problem.errors ?? []) {
          const key = fe.path.split('/')[2] as Key | undefined;
          if (key) byField[key] = describeField(t, fe);
        }
      setErrors(byField);
      setFormError(describeErrorIn(t, err, 'carriers'));
      const first = Object.keys(byField)[0];
      if (first) document.getElementById(`${ids}-${first}`)?.focus();
    } finally {
      setSaving(false);
    }
  };

  const keepHint = keeping ? t('carriers.keepCredentials') : undefined;
  return (
    <form
      className="card carrier-account-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby={`${ids}-title`}
    >
      <h2 id={`${ids}-title`}>
        {editing
          ? t('carriers.editTitle', { carrier: editing.carrierCode, node: props.nodeCode })
          : t('carriers.newTitle', { node: props.nodeCode })}
      </h2>
      {formError && <Notice kind="error">{formError}</Notice>}
      <div className="form-grid">
        {!editing &&
          field(
            'carrierCode',
            t('carriers.carrierCode'),
            <input
              id={`${ids}-carrierCode`}
              value={carrierCode}
              maxLength={20}
              autoComplete="off"
              aria-invalid={errors.carrierCode ? true : undefined}
              aria-describedby={described('carrierCode', true)}
              onChange={(e) => {
                setCarrierCode(e.target.value);
                setErrors((x) => ({ ...x, carrierCode: undefined }));
              }}
            />,
            t('carriers.carrierCodeHint'),
          )}
        <div className="field">
          <label htmlFor={`${ids}-adapter`}>
            <span>{t('carriers.adapter')}</span>
          </label>
          <select
            id={`${ids}-adapter`}
            value={adapter}
            onChange={(e) => setAdapter(e.target.value as CarrierAdapter)}
          >
            {carrierAdapters.map((a) => (
              <option key={a} value={a}>
                {t(`carriers.adapters.${a}`)}
              </option>
            ))}
          </select>
        </div>
        {input('baseUrl', {
          label: t('carriers.baseUrl'),
          type: 'url',
          hint: t('carriers.baseUrlHint', { example: homologation[adapter] }),
        })}
        {adapter === 'correios' ? (
          <>
            {input('postingCard', { label: t('carriers.postingCard') })}
            {input('contract', { label: t('carriers.contract') })}
            {input('dr', { label: t('carriers.dr') })}
            {input('services', { label: t('carriers.services'), hint: t('carriers.servicesHintCorreios') })}
            {input('user', { label: t('carriers.user'), hint: keepHint })}
            {input('accessCode', {
              label: t('carriers.accessCode'),
              type: 'password',
              secret: true,
              hint: keepHint,
            })}
          </>
        ) : (
          <>
            {input('contactEmail', {
              label: t('carriers.contactEmail'),
              type: 'email',
              hint: t('carriers.contactEmailHint'),
            })}
            {input('services', {
              label: t('carriers.services'),
              hint: t('carriers.servicesHintMelhorEnvio'),
            })}
            {input('token', { label: t('carriers.token'), type: 'password', secret: true, hint: keepHint })}
            {input('webhookSecret', {
              label: t('carriers.webhookSecret'),
              type: 'password',
              secret: true,
              hint: keepHint,
            })}
          </>
        )}
        <div className="field checkbox">
          <label>
            <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />{' '}
            <span>{t('carriers.activeLabel')}</span>
          </label>
        </div>
      </div>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={saving}>
          {saving ? t('carriers.saving') : t('carriers.save')}
        </button>
        <button type="button" className="button" onClick={props.onCancel} disabled={saving}>
          {t('carriers.cancel')}
        </button>
      </div>
    </form>
  );
}

import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  FiscalAuthorizer,
  FiscalCommunicationTest,
  FiscalSettings,
  FiscalSettingsInput,
  NetworkNode,
  TaxRegime,
} from '../api/types.ts';
import { ApiError, api } from '../api.ts';
import { isAdmin, useAuth } from '../auth.tsx';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { fieldLayout } from '../components/form-fields.tsx';
import { Notice } from '../components/notice.tsx';
import { SimulatorSwitch } from '../fiscal/simulator-switch.tsx';
import { formatDate, formatDateTime, formatDocument } from '../format.ts';
import { lineageOf } from './tree.ts';

/** A certificate about to expire is flagged this many days ahead: time to buy and upload the next one. */
const WARN_DAYS = 30;
const DAY_MS = 86_400_000;
/** The API takes up to 200,000 base64 characters: an A1 file is a few kilobytes. */
const MAX_FILE_BYTES = 150_000;
const RATE = /^(100([.,]0{1,2})?|\d{1,2}([.,]\d{1,2})?)$/;
const CSC_ID = /^\d{1,6}$/;
const CSC_TOKEN = /^[A-Za-z0-9]{16,36}$/;
const regimes: TaxRegime[] = [1, 2, 3, 4];

type Errors = Partial<
  Record<'regime' | 'intra' | 'inter' | 'authorizer' | 'file' | 'password' | 'cscId' | 'cscToken', string>
>;
const authorizers: FiscalAuthorizer[] = ['simulator', 'sefaz'];
/** NFeStatusServico4: 107 "Serviço em Operação"; anything else (108/109 paralysed, a rejection) needs a look. */
const IN_OPERATION = 107;

/** The file as base64, read in the browser: it goes to the API inside the JSON body. */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

const rateOf = (value: string) => value.trim().replace(',', '.');

/**
 * The holder as ICP-Brasil names it in the certificate's CN ("RAZÃO SOCIAL:CNPJ"): the name and the
 * masked CNPJ; a subject without that shape is shown whole.
 */
function holderOf(subject: string): string {
  const cn = /(?:^|,)\s*CN=((?:\\,|[^,])+)/.exec(subject)?.[1]?.replace(/\\,/g, ',');
  if (!cn) return subject;
  const [, name, cnpj] = /^(.*):([0-9A-Z]{14})$/.exec(cn) ?? [];
  return name && cnpj ? `${name} — CNPJ ${formatDocument(cnpj)}` : cn;
}

/**
 * A store's fiscal settings ("Fiscal"): tax regime, SEFAZ environment, the A1 certificate (holder and
 * validity, flagged when it expires within 30 days) and the NFC-e CSC id. Network and central admins
 * above the store change them; the certificate file is read here and sent with its password, and what
 * the API refuses is said beside the field.
 */
export function FiscalPanel({ node, nodes }: { node: NetworkNode; nodes: ReadonlyMap<string, NetworkNode> }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const [settings, setSettings] = useState<FiscalSettings | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [editing, setEditing] = useState(false);
  const [feedback, setFeedback] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);

  const manages = isAdmin(me) && me !== null && lineageOf(node.code, nodes).includes(me.nodeCode);

  useEffect(() => {
    const abort = new AbortController();
    setSettings(null);
    setLoadError(null);
    setEditing(false);
    setFeedback(null);
    api<FiscalSettings>(
      'GET',
      `/api/v1/nodes/${encodeURIComponent(node.code)}/fiscal-settings`,
      undefined,
      abort.signal,
    )
      .then(setSettings)
      .catch((err: unknown) => {
        if (!abort.signal.aborted) setLoadError(err);
      });
    return () => abort.abort();
  }, [node.code]);

  return (
    <section className="card fiscal-panel" aria-labelledby="fiscal-panel-title">
      <div className="section-head">
        <div>
          <h2 id="fiscal-panel-title">{t('network.fiscal.title')}</h2>
          <p className="section-hint">{t('network.fiscal.intro')}</p>
        </div>
        {manages && settings && !editing && (
          <div className="toolbar">
            <button
              type="button"
              className="button"
              onClick={() => {
                setFeedback(null);
                setEditing(true);
              }}
            >
              {t('network.fiscal.edit')}
            </button>
          </div>
        )}
      </div>
      {loadError ? <Notice kind="error">{describeErrorIn(t, loadError, 'network')}</Notice> : null}
      {!settings && !loadError && <p className="loading compact">{t('network.fiscal.loading')}</p>}
      {feedback && <Notice kind={feedback.kind}>{feedback.text}</Notice>}
      {settings && !editing && <SettingsView settings={settings} />}
      {settings && !manages && <p className="hint read-only-note">{t('network.fiscal.readOnly')}</p>}
      {settings && editing && (
        <SettingsForm
          node={node}
          settings={settings}
          onCancel={() => setEditing(false)}
          onSaved={(saved) => {
            setSettings(saved);
            setEditing(false);
            setFeedback({ kind: 'success', text: t('network.fiscal.saved', { name: node.name }) });
          }}
        />
      )}
      {settings && !editing && <CommunicationCheck key={settings.updatedAt} node={node} />}
      {settings && !editing && <SimulatorSwitch />}
    </section>
  );
}

function SettingsView({ settings }: { settings: FiscalSettings }) {
  const { t } = useTranslation();
  const notSet = <span className="hint">{t('network.fiscal.notSet')}</span>;
  const cert = settings.certificate;
  const daysLeft = cert ? Math.ceil((new Date(cert.notAfter).getTime() - Date.now()) / DAY_MS) : null;
  const rows: [string, ReactNode][] = [
    [
      t('network.fiscal.regime'),
      settings.taxRegime ? t(`network.fiscal.regimes.${settings.taxRegime as TaxRegime}`) : notSet,
    ],
    [t('network.fiscal.environment'), t(`network.fiscal.environments.${settings.environment}`)],
    [t('network.fiscal.authorizer'), t(`network.fiscal.authorizers.${settings.authorizer}`)],
    ...(settings.taxRegime === 3
      ? ([
          [t('network.fiscal.icmsIntrastate'), settings.icmsRateIntrastate ?? notSet],
          [t('network.fiscal.icmsInterstate'), settings.icmsRateInterstate ?? notSet],
        ] as [string, ReactNode][])
      : []),
    [
      t('network.fiscal.holder'),
      cert ? (
        <span key="holder" className="wrap-anywhere" title={cert.subject}>
          {holderOf(cert.subject)}
        </span>
      ) : (
        notSet
      ),
    ],
    [t('network.fiscal.validUntil'), cert ? formatDate(cert.notAfter) : notSet],
    [t('network.fiscal.csc'), settings.csc ? settings.csc.id : t('network.fiscal.noCsc')],
  ];
  return (
    <>
      {!settings.configured && <Notice kind="info">{t('network.fiscal.notConfigured')}</Notice>}
      <dl className="facts" data-testid="fiscal-settings">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {!cert && <p className="notice warning">{t('network.fiscal.noCertificate')}</p>}
      {cert && daysLeft !== null && daysLeft <= 0 && (
        <p className="notice error" role="alert">
          {t(settings.authorizer === 'sefaz' ? 'network.fiscal.sefazExpired' : 'network.fiscal.expired', {
            date: formatDate(cert.notAfter),
          })}
        </p>
      )}
      {cert && daysLeft !== null && daysLeft > 0 && daysLeft <= WARN_DAYS && (
        <p className="notice warning" role="status">
          {t('network.fiscal.expiresSoon', { count: daysLeft })}
        </p>
      )}
      {settings.updatedAt && (
        <p className="hint">{t('network.fiscal.updatedAt', { at: formatDateTime(settings.updatedAt) })}</p>
      )}
    </>
  );
}

function SettingsForm(props: {
  node: NetworkNode;
  settings: FiscalSettings;
  onCancel(): void;
  onSaved(settings: FiscalSettings): void;
}) {
  const { t } = useTranslation();
  const ids = useId();
  const { settings } = props;
  const [regime, setRegime] = useState(settings.taxRegime ? String(settings.taxRegime) : '');
  const [environment, setEnvironment] = useState(settings.environment);
  const [authorizer, setAuthorizer] = useState<FiscalAuthorizer>(settings.authorizer);
  const [confirming, setConfirming] = useState(false);
  const [intra, setIntra] = useState(settings.icmsRateIntrastate ?? '');
  const [inter, setInter] = useState(settings.icmsRateInterstate ?? '');
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  const [cscId, setCscId] = useState('');
  const [cscToken, setCscToken] = useState('');
  const [removeCsc, setRemoveCsc] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const normal = regime === '3';

  const validate = (): Errors => {
    const found: Errors = {};
    if (!regime) found.regime = t('network.fiscal.invalid.regime');
    if (normal) {
      if (!RATE.test(intra.trim()))
        found.intra = intra.trim()
          ? t('network.fiscal.invalid.rate')
          : t('network.fiscal.invalid.rateRequired');
      if (!RATE.test(inter.trim()))
        found.inter = inter.trim()
          ? t('network.fiscal.invalid.rate')
          : t('network.fiscal.invalid.rateRequired');
    }
    if (file && file.size > MAX_FILE_BYTES) found.file = t('network.fiscal.invalid.fileTooBig');
    if (file && !password) found.password = t('network.fiscal.invalid.password');
    if (!removeCsc && (cscId.trim() || cscToken.trim())) {
      if (!CSC_ID.test(cscId.trim()))
        found.cscId = cscId.trim() ? t('network.fiscal.invalid.cscId') : t('network.fiscal.invalid.cscBoth');
      if (!CSC_TOKEN.test(cscToken.trim()))
        found.cscToken = cscToken.trim()
          ? t('network.fiscal.invalid.cscToken')
          : t('network.fiscal.invalid.cscBoth');
    }
    return found;
  };

  /** The API's field errors (JSON pointers) in the words of the form, beside their inputs. */
  const fromServer = (err: unknown): Errors => {
    if (!(err instanceof ApiError)) return {};
    const found: Errors = {};
    for (const { path, code } of err.problem.errors ?? []) {
      if (path === '/taxRegime') found.regime = t('network.fiscal.invalid.regime');
      else if (path === '/icmsRateIntrastate' || path === '/icmsRateInterstate') {
        const text =
          code === 'FISCAL.RATE_REQUIRED'
            ? t('network.fiscal.invalid.rateRequired')
            : t('network.fiscal.invalid.rate');
        found[path === '/icmsRateIntrastate' ? 'intra' : 'inter'] = text;
      } else if (path === '/certificate/password') found.password = t('network.fiscal.invalid.passwordWrong');
      else if (path === '/certificate/pkcs12')
        found.file =
          code === 'FISCAL.CERTIFICATE_CNPJ_MISMATCH'
            ? t('network.fiscal.invalid.cnpj')
            : code === 'FISCAL.CERTIFICATE_EXPIRED'
              ? t('network.fiscal.invalid.expired')
              : code === 'FISCAL.CERTIFICATE_NOT_YET_VALID'
                ? t('network.fiscal.invalid.certificateNotYetValid')
                : t('network.fiscal.invalid.file');
      else if (path === '/authorizer')
        found.authorizer =
          code === 'FISCAL.STORE_STATE_UNKNOWN'
            ? t('network.fiscal.invalid.stateUnknown')
            : describeErrorIn(t, err, 'network');
      else if (path === '/certificate')
        found.file =
          code === 'FISCAL.CERTIFICATE_EXPIRED'
            ? t('network.fiscal.invalid.certificateExpired')
            : code === 'FISCAL.CERTIFICATE_NOT_YET_VALID'
              ? t('network.fiscal.invalid.certificateNotYetValid')
              : code === 'FISCAL.CERTIFICATE_UNREADABLE'
                ? t('network.fiscal.invalid.certificateUnreadable')
                : t('network.fiscal.invalid.certificateMissing');
      else if (path === '/csc/id') found.cscId = t('network.fiscal.invalid.cscId');
      else if (path === '/csc/token') found.cscToken = t('network.fiscal.invalid.cscToken');
    }
    return found;
  };

  /** Documents start to have fiscal value: switching to SEFAZ in production is confirmed first. */
  const needsConfirmation =
    authorizer === 'sefaz' &&
    environment === '1' &&
    (settings.authorizer !== 'sefaz' || settings.environment !== '1');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    const found = validate();
    setErrors(found);
    const first = Object.keys(found)[0];
    if (first) {
      document.getElementById(`${ids}-${first}`)?.focus();
      return;
    }
    if (needsConfirmation) setConfirming(true);
    else void save();
  };

  const save = async () => {
    setConfirming(false);
    setSaving(true);
    try {
      const body: FiscalSettingsInput = {
        environment,
        authorizer,
        taxRegime: Number(regime) as TaxRegime,
        icmsRateIntrastate: normal ? rateOf(intra) : null,
        icmsRateInterstate: normal ? rateOf(inter) : null,
        ...(file ? { certificate: { pkcs12: await base64Of(file), password } } : {}),
        ...(removeCsc
          ? { csc: null }
          : cscId.trim()
            ? { csc: { id: cscId.trim(), token: cscToken.trim() } }
            : {}),
      };
      const saved = await api<FiscalSettings>(
        'PUT',
        `/api/v1/nodes/${encodeURIComponent(props.node.code)}/fiscal-settings`,
        body,
      );
      props.onSaved(saved);
    } catch (err) {
      const byField = fromServer(err);
      setErrors(byField);
      const firstServer = Object.keys(byField)[0];
      if (firstServer) {
        setFormError(t('network.fiscal.invalid.fields'));
        document.getElementById(`${ids}-${firstServer}`)?.focus();
      } else setFormError(describeErrorIn(t, err, 'network'));
    } finally {
      setSaving(false);
    }
  };

  const { field, described } = fieldLayout<keyof Errors>(ids, errors);
  const clear = (key: keyof Errors) => setErrors((x) => ({ ...x, [key]: undefined }));

  return (
    <>
      <form className="fiscal-form" onSubmit={submit} noValidate>
        <h3 className="editor-title">{t('network.fiscal.editTitle', { name: props.node.name })}</h3>
        <div className="form-grid">
          {field(
            'regime',
            t('network.fiscal.regime'),
            <select
              id={`${ids}-regime`}
              value={regime}
              aria-invalid={errors.regime ? true : undefined}
              aria-describedby={described('regime')}
              onChange={(e) => {
                setRegime(e.target.value);
                clear('regime');
              }}
            >
              <option value="">{t('network.fiscal.form.choose')}</option>
              {regimes.map((r) => (
                <option key={r} value={String(r)}>
                  {t(`network.fiscal.regimes.${r}`)}
                </option>
              ))}
            </select>,
          )}
          <div className="field">
            <label htmlFor={`${ids}-environment`}>
              <span>{t('network.fiscal.environment')}</span>
            </label>
            <select
              id={`${ids}-environment`}
              value={environment}
              onChange={(e) => setEnvironment(e.target.value === '1' ? '1' : '2')}
            >
              <option value="2">{t('network.fiscal.environments.2')}</option>
              <option value="1">{t('network.fiscal.environments.1')}</option>
            </select>
          </div>
          <fieldset className="field" aria-describedby={described('authorizer', true)}>
            <legend>
              <span>{t('network.fiscal.authorizer')}</span>
            </legend>
            {authorizers.map((a) => (
              <label key={a} className="check-line">
                <input
                  type="radio"
                  id={a === authorizer ? `${ids}-authorizer` : undefined}
                  name={`${ids}-authorizer`}
                  value={a}
                  checked={authorizer === a}
                  onChange={() => {
                    setAuthorizer(a);
                    clear('authorizer');
                    clear('file');
                  }}
                />
                {t(`network.fiscal.authorizers.${a}`)}
              </label>
            ))}
            <span className="hint" id={`${ids}-authorizer-hint`}>
              {t('network.fiscal.form.authorizerHint')}
            </span>
            {errors.authorizer && (
              <span className="field-error" id={`${ids}-authorizer-error`}>
                {errors.authorizer}
              </span>
            )}
          </fieldset>
          {normal &&
            field(
              'intra',
              t('network.fiscal.icmsIntrastate'),
              <input
                id={`${ids}-intra`}
                inputMode="decimal"
                value={intra}
                maxLength={6}
                aria-invalid={errors.intra ? true : undefined}
                aria-describedby={described('intra', true)}
                onChange={(e) => {
                  setIntra(e.target.value);
                  clear('intra');
                }}
              />,
              t('network.fiscal.form.ratesHint'),
            )}
          {normal &&
            field(
              'inter',
              t('network.fiscal.icmsInterstate'),
              <input
                id={`${ids}-inter`}
                inputMode="decimal"
                value={inter}
                maxLength={6}
                aria-invalid={errors.inter ? true : undefined}
                aria-describedby={described('inter', true)}
                onChange={(e) => {
                  setInter(e.target.value);
                  clear('inter');
                }}
              />,
              t('network.fiscal.form.ratesHint'),
            )}
        </div>

        <fieldset className="choices">
          <legend>{t('network.fiscal.certificate')}</legend>
          {field(
            'file',
            t('network.fiscal.form.certificateFile'),
            <input
              id={`${ids}-file`}
              type="file"
              accept=".pfx,.p12,application/x-pkcs12"
              aria-invalid={errors.file ? true : undefined}
              aria-describedby={described('file', true)}
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                clear('file');
              }}
            />,
            settings.certificate
              ? t('network.fiscal.form.certificateKeep')
              : t('network.fiscal.form.certificateNew'),
          )}
          {field(
            'password',
            t('network.fiscal.form.password'),
            <input
              id={`${ids}-password`}
              type="password"
              autoComplete="off"
              value={password}
              maxLength={200}
              aria-invalid={errors.password ? true : undefined}
              aria-describedby={described('password')}
              onChange={(e) => {
                setPassword(e.target.value);
                clear('password');
              }}
            />,
          )}
        </fieldset>

        <fieldset className="choices">
          <legend>{t('network.fiscal.csc')}</legend>
          <div className="form-grid">
            {field(
              'cscId',
              t('network.fiscal.form.cscId'),
              <input
                id={`${ids}-cscId`}
                inputMode="numeric"
                value={cscId}
                maxLength={6}
                disabled={removeCsc}
                placeholder={settings.csc?.id}
                aria-invalid={errors.cscId ? true : undefined}
                aria-describedby={described('cscId')}
                onChange={(e) => {
                  setCscId(e.target.value);
                  clear('cscId');
                }}
              />,
            )}
            {field(
              'cscToken',
              t('network.fiscal.form.cscToken'),
              <input
                id={`${ids}-cscToken`}
                type="password"
                autoComplete="off"
                className="mono"
                value={cscToken}
                maxLength={36}
                disabled={removeCsc}
                aria-invalid={errors.cscToken ? true : undefined}
                aria-describedby={described('cscToken')}
                onChange={(e) => {
                  setCscToken(e.target.value);
                  clear('cscToken');
                }}
              />,
            )}
          </div>
          <p className="hint">{t('network.fiscal.form.cscHint')}</p>
          {settings.csc && (
            <label className="check-line">
              <input
                type="checkbox"
                checked={removeCsc}
                onChange={(e) => {
                  setRemoveCsc(e.target.checked);
                  clear('cscId');
                  clear('cscToken');
                }}
              />
              {t('network.fiscal.form.removeCsc')}
            </label>
          )}
        </fieldset>

        {formError && (
          <p className="notice error" role="alert">
            {formError}
          </p>
        )}
        <div className="editor-actions">
          <button type="submit" className="button primary" disabled={saving}>
            {saving ? t('actions.saving') : t('network.fiscal.form.save')}
          </button>
          <button type="button" className="button" disabled={saving} onClick={props.onCancel}>
            {t('network.fiscal.form.cancel')}
          </button>
        </div>
      </form>
      <ConfirmDialog
        open={confirming}
        title={t('network.fiscal.confirmProduction.title')}
        message={t('network.fiscal.confirmProduction.message')}
        confirmLabel={t('network.fiscal.confirmProduction.confirm')}
        danger
        onConfirm={() => void save()}
        onCancel={() => setConfirming(false)}
      />
    </>
  );
}

/**
 * "Testar comunicação": the store's authoriser answers NFeStatusServico4 for each model. Green when in
 * operation (107); amber when paralysed (108/109), another cStat, or no answer (the fault's kind and text).
 */
function CommunicationCheck({ node }: { node: NetworkNode }) {
  const { t } = useTranslation();
  const [result, setResult] = useState<FiscalCommunicationTest | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [running, setRunning] = useState(false);
  const run = async () => {
    setRunning(true);
    setError(null);
    try {
      setResult(
        await api<FiscalCommunicationTest>(
          'POST',
          `/api/v1/nodes/${encodeURIComponent(node.code)}/fiscal-settings/communication-test`,
        ),
      );
    } catch (err) {
      setResult(null);
      setError(err);
    } finally {
      setRunning(false);
    }
  };
  return (
    <div className="communication-check" data-testid="fiscal-communication">
      <h3>{t('network.fiscal.communication.title')}</h3>
      <p className="hint">{t('network.fiscal.communication.hint')}</p>
      <div className="toolbar">
        <button type="button" className="button" disabled={running} onClick={() => void run()}>
          {running ? t('network.fiscal.communication.running') : t('network.fiscal.communication.run')}
        </button>
      </div>
      {error ? <Notice kind="error">{describeErrorIn(t, error, 'network')}</Notice> : null}
      {result && (
        <>
          <p className="hint">
            {t('network.fiscal.communication.summary', {
              authorizer: t(`network.fiscal.authorizers.${result.authorizer}`),
              environment: t(`network.fiscal.environments.${result.environment}`),
            })}
          </p>
          {result.results.map((r) => {
            const healthy = r.ok && r.status === IN_OPERATION;
            const details = r.ok
              ? [
                  t('network.fiscal.communication.answer', { status: r.status, reason: r.reason }),
                  r.averageSeconds !== null &&
                    t('network.fiscal.communication.averageSeconds', { count: r.averageSeconds }),
                  r.expectedBackAt &&
                    t('network.fiscal.communication.expectedBackAt', {
                      at: formatDateTime(r.expectedBackAt),
                    }),
                  r.observation && t('network.fiscal.communication.observation', { text: r.observation }),
                ]
              : [`${t(`network.fiscal.communication.faults.${r.kind}`)}: ${r.message}`];
            return (
              <p
                key={r.model}
                className={`notice ${healthy ? 'success' : 'warning'}`}
                role="status"
                data-model={r.model}
              >
                <strong>{t(`network.fiscal.communication.models.${r.model}`)}</strong>:{' '}
                {[...details, t('network.fiscal.communication.elapsed', { ms: r.elapsedMs })]
                  .filter(Boolean)
                  .join(' · ')}
              </p>
            );
          })}
        </>
      )}
    </div>
  );
}

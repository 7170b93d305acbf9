import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreatedUser, GrantableRole, NetworkNode, NewUser, Role } from '../api/types.ts';
import { api } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { fieldErrors } from '../errors.ts';

type Field = 'name' | 'email' | 'role' | 'nodeCode';

/**
 * "Novo usuário": name, e-mail, a role the admin may grant and a node of the kind that role belongs on.
 * No password: the server answers a temporary one, which the page shows once.
 */
export function NewUserForm(props: {
  roles: readonly GrantableRole[];
  nodes: readonly NetworkNode[];
  onCreated(user: CreatedUser): void;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const ids = useId();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role | ''>(props.roles.length === 1 ? props.roles[0]!.role : '');
  const [nodeCode, setNodeCode] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const kind = props.roles.find((r) => r.role === role)?.nodeKind;
  const places = kind ? props.nodes.filter((n) => n.kind === kind) : [];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    const missing: Partial<Record<Field, string>> = {};
    if (!name.trim()) missing.name = t('fields.VALIDATION.REQUIRED');
    if (!email.trim()) missing.email = t('fields.VALIDATION.REQUIRED');
    if (!role) missing.role = t('fields.VALIDATION.REQUIRED');
    if (!nodeCode) missing.nodeCode = t('fields.VALIDATION.REQUIRED');
    setErrors(missing);
    if (Object.keys(missing).length || !role) return;
    setSaving(true);
    try {
      const body: NewUser = { name: name.trim(), email: email.trim(), role, nodeCode };
      props.onCreated(await api<CreatedUser>('POST', '/api/v1/users', body));
    } catch (err) {
      const byPath = fieldErrors(t, err);
      const found = {
        name: byPath['/name'],
        email: byPath['/email'],
        role: byPath['/role'],
        nodeCode: byPath['/nodeCode'],
      };
      setErrors(found);
      if (!Object.values(found).some(Boolean)) setFailure(describeErrorIn(t, err, 'access'));
    } finally {
      setSaving(false);
    }
  };

  const described = (field: Field, hint?: boolean) =>
    [hint && `${ids}-${field}-hint`, errors[field] && `${ids}-${field}-error`].filter(Boolean).join(' ') ||
    undefined;
  const error = (field: Field) =>
    errors[field] ? (
      <span id={`${ids}-${field}-error`} className="field-error">
        {errors[field]}
      </span>
    ) : null;

  return (
    <section className="card new-user" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{t('access.users.form.title')}</h2>
      <p className="hint">{t('access.users.form.intro')}</p>
      <form className="form-grid" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${ids}-name`}>
            <span>{t('access.users.form.name')}</span>
          </label>
          <input
            id={`${ids}-name`}
            value={name}
            maxLength={120}
            required
            autoComplete="off"
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={described('name')}
            onChange={(e) => {
              setName(e.target.value);
              setErrors((x) => ({ ...x, name: undefined }));
            }}
          />
          {error('name')}
        </div>
        <div className="field">
          <label htmlFor={`${ids}-email`}>
            <span>{t('access.users.form.email')}</span>
          </label>
          <input
            id={`${ids}-email`}
            type="email"
            value={email}
            maxLength={254}
            required
            autoComplete="off"
            spellCheck={false}
            aria-invalid={errors.email ? true : undefined}
            aria-describedby={described('email')}
            onChange={(e) => {
              setEmail(e.target.value);
              setErrors((x) => ({ ...x, email: undefined }));
            }}
          />
          {error('email')}
        </div>
        <div className="field">
          <label htmlFor={`${ids}-role`}>
            <span>{t('access.users.form.role')}</span>
          </label>
          <select
            id={`${ids}-role`}
            value={role}
            required
            aria-invalid={errors.role ? true : undefined}
            aria-describedby={described('role')}
            onChange={(e) => {
              const next = e.target.value as Role | '';
              setRole(next);
              const nextKind = props.roles.find((r) => r.role === next)?.nodeKind;
              if (!props.nodes.some((n) => n.code === nodeCode && n.kind === nextKind)) setNodeCode('');
              setErrors((x) => ({ ...x, role: undefined }));
            }}
          >
            <option value="">—</option>
            {props.roles.map((r) => (
              <option key={r.role} value={r.role}>
                {t(`roles.${r.role}`)}
              </option>
            ))}
          </select>
          {error('role')}
        </div>
        <div className="field">
          <label htmlFor={`${ids}-nodeCode`}>
            <span>{t('access.users.form.node')}</span>
          </label>
          <select
            id={`${ids}-nodeCode`}
            value={nodeCode}
            required
            disabled={!kind}
            aria-invalid={errors.nodeCode ? true : undefined}
            aria-describedby={described('nodeCode', Boolean(kind))}
            onChange={(e) => {
              setNodeCode(e.target.value);
              setErrors((x) => ({ ...x, nodeCode: undefined }));
            }}
          >
            <option value="">{t('access.users.form.chooseNode')}</option>
            {places.map((n) => (
              <option key={n.code} value={n.code}>
                {n.code} — {n.name}
              </option>
            ))}
          </select>
          {kind && (
            <span id={`${ids}-nodeCode-hint`} className="hint">
              {t('access.users.form.nodeHint', { kind: t(`nodeKinds.${kind}`) })}
            </span>
          )}
          {error('nodeCode')}
        </div>
        {failure && <Notice kind="error">{failure}</Notice>}
        <div className="editor-actions">
          <button type="submit" className="button primary" disabled={saving}>
            {saving ? t('actions.saving') : t('access.users.form.submit')}
          </button>
          <button type="button" className="button" onClick={props.onCancel} disabled={saving}>
            {t('access.users.form.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}

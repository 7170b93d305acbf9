import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { NewUserForm } from '../access/new-user-form.tsx';
import { TemporaryPasswordDialog } from '../access/temporary-password-dialog.tsx';
import type { Role, TemporaryPassword, User } from '../api/types.ts';
import { api, query } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { LoadMore } from '../components/load-more.tsx';
import { MenuButton, type MenuEntry } from '../components/menu-button.tsx';
import { Notice } from '../components/notice.tsx';
import { usePagedList } from '../components/paged-list.ts';
import { useLoad } from '../components/use-load.ts';
import { allNodes } from '../network/all-nodes.ts';

const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 300;

/** The permission that lets a user change the messages' texts (notifications). */
const EDIT_MESSAGES = 'IN_ALT_MENSAGEM';

type Pending = { kind: 'role' | 'deactivate' | 'reactivate' | 'reset'; user: User } | null;
type Feedback = { kind: 'success' | 'error'; text: string } | null;

/** Admins only (app.tsx registers the route for them): the users of the nodes they manage. */
export function UsersPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const [params, setParams] = useSearchParams();
  const nodeCode = params.get('unidade') ?? '';
  const role = params.get('perfil') ?? '';
  const status =
    params.get('situacao') === 'inativos' ? 'inativos' : params.get('situacao') === 'ativos' ? 'ativos' : '';
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  const [creating, setCreating] = useState(false);
  const [temporary, setTemporary] = useState<{ name: string; email: string; password: string } | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [roleChoice, setRoleChoice] = useState<Role | ''>('');
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [feedback, setFeedback] = useState<Feedback>(null);

  const { data: nodes } = useLoad((signal) => allNodes(signal), []);
  const nodeByCode = useMemo(() => new Map((nodes ?? []).map((n) => [n.code, n])), [nodes]);

  const setParam = (key: string, value: string) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  };
  const typing = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(typing.current), []);

  const path = `/api/v1/users${query({
    nodeCode: nodeCode || undefined,
    role: role || undefined,
    active: status === 'ativos' ? true : status === 'inativos' ? false : undefined,
    q: q || undefined,
    limit: PAGE_SIZE,
  })}`;
  const list = usePagedList<User>(path);
  const filtered = Boolean(nodeCode || role || status || q);

  if (!me) return null;

  /** Roles the admin may give this user: granted by the admin and fitting the user's node. */
  const rolesFor = (user: User) => {
    const kind = nodeByCode.get(user.nodeCode)?.kind;
    return me.grantableRoles.filter((r) => r.nodeKind === kind && r.role !== user.role).map((r) => r.role);
  };

  const open = (kind: NonNullable<Pending>['kind'], user: User) => {
    setFeedback(null);
    setActionError(null);
    if (kind === 'role') setRoleChoice(rolesFor(user)[0] ?? '');
    setPending({ kind, user });
  };

  const entriesFor = (user: User): MenuEntry[] => [
    { kind: 'item', key: 'role', label: t('access.users.role.action'), onSelect: () => open('role', user) },
    user.active
      ? {
          kind: 'item',
          key: 'deactivate',
          label: t('access.users.deactivate.action'),
          danger: true,
          onSelect: () => open('deactivate', user),
        }
      : {
          kind: 'item',
          key: 'reactivate',
          label: t('access.users.reactivate.action'),
          onSelect: () => open('reactivate', user),
        },
    {
      kind: 'item',
      key: 'reset',
      label: t('access.users.reset.action'),
      onSelect: () => open('reset', user),
    },
    {
      kind: 'item',
      key: 'messages',
      label: user.permissions.includes(EDIT_MESSAGES)
        ? t('access.users.permissions.revoke')
        : t('access.users.permissions.grant'),
      onSelect: () => void toggleMessages(user),
    },
  ];

  /** IN_ALT_MENSAGEM (seed 003): the user may change the messages' texts. Audited as user.permissions_changed. */
  const toggleMessages = async (user: User) => {
    setFeedback(null);
    const granted = !user.permissions.includes(EDIT_MESSAGES);
    try {
      const saved = await api<User>('PATCH', `/api/v1/users/${user.id}`, {
        permissions: granted
          ? [...user.permissions, EDIT_MESSAGES]
          : user.permissions.filter((p) => p !== EDIT_MESSAGES),
      });
      list.replace((u) => u.id === user.id, saved);
      setFeedback({
        kind: 'success',
        text: t(granted ? 'access.users.permissions.granted' : 'access.users.permissions.revoked', {
          name: user.name,
        }),
      });
    } catch (err) {
      setFeedback({ kind: 'error', text: describeErrorIn(t, err, 'access') });
    }
  };

  const confirm = async () => {
    if (!pending) return;
    const { kind, user } = pending;
    setBusy(true);
    setActionError(null);
    try {
      if (kind === 'reset') {
        const answer = await api<TemporaryPassword>('POST', `/api/v1/users/${user.id}/password-reset`);
        list.replace((u) => u.id === user.id, { ...user, mustChangePassword: true });
        setPending(null);
        setTemporary({ name: user.name, email: user.email, password: answer.temporaryPassword });
        return;
      }
      if (kind === 'role' && !roleChoice) {
        setPending(null);
        return;
      }
      const body = kind === 'role' ? { role: roleChoice } : { active: kind === 'reactivate' };
      const saved = await api<User>('PATCH', `/api/v1/users/${user.id}`, body);
      list.replace((u) => u.id === user.id, saved);
      setPending(null);
      setFeedback({
        kind: 'success',
        text:
          kind === 'role'
            ? t('access.users.role.done', { name: user.name, role: t(`roles.${saved.role}`) })
            : t(`access.users.${kind}.done`, { name: user.name }),
      });
    } catch (err) {
      setActionError(describeErrorIn(t, err, 'access'));
    } finally {
      setBusy(false);
    }
  };

  const choices = pending?.kind === 'role' ? rolesFor(pending.user) : [];

  return (
    <section className="users-page" aria-labelledby="users-title">
      <header className="page-header section-head">
        <div>
          <h1 id="users-title">{t('access.users.title')}</h1>
          <p className="hint">{t('access.users.intro')}</p>
        </div>
        {!creating && me.grantableRoles.length > 0 && (
          <button
            type="button"
            className="button primary"
            onClick={() => {
              setFeedback(null);
              setCreating(true);
            }}
          >
            {t('access.users.new')}
          </button>
        )}
      </header>

      {creating && (
        <NewUserForm
          roles={me.grantableRoles}
          nodes={nodes ?? []}
          onCancel={() => setCreating(false)}
          onCreated={(user) => {
            setCreating(false);
            setFeedback({ kind: 'success', text: t('access.users.created', { email: user.email }) });
            if (user.temporaryPassword) {
              setTemporary({ name: user.name, email: user.email, password: user.temporaryPassword });
            }
            list.reload();
          }}
        />
      )}

      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          clearTimeout(typing.current);
          setParam('q', text.trim());
        }}
      >
        <label className="field grow">
          <span>{t('access.users.filters.search')}</span>
          <input
            type="search"
            value={text}
            placeholder={t('access.users.filters.searchPlaceholder')}
            maxLength={120}
            onChange={(e) => {
              const value = e.target.value;
              setText(value);
              clearTimeout(typing.current);
              typing.current = setTimeout(() => setParam('q', value.trim()), SEARCH_DELAY_MS);
            }}
          />
        </label>
        <label className="field">
          <span>{t('access.users.filters.node')}</span>
          <select value={nodeCode} onChange={(e) => setParam('unidade', e.target.value)}>
            <option value="">{t('access.users.filters.allNodes')}</option>
            {(nodes ?? []).map((n) => (
              <option key={n.code} value={n.code}>
                {n.code} — {n.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('access.users.filters.role')}</span>
          <select value={role} onChange={(e) => setParam('perfil', e.target.value)}>
            <option value="">{t('access.users.filters.allRoles')}</option>
            {(['network_admin', 'central_admin', 'store_manager', 'store_staff'] as const).map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('access.users.filters.status')}</span>
          <select value={status} onChange={(e) => setParam('situacao', e.target.value)}>
            <option value="">{t('access.users.filters.all')}</option>
            <option value="ativos">{t('access.users.filters.active')}</option>
            <option value="inativos">{t('access.users.filters.inactive')}</option>
          </select>
        </label>
        <button type="submit" className="button primary">
          {t('actions.search')}
        </button>
        {(filtered || text) && (
          <button
            type="button"
            className="button"
            onClick={() => {
              setText('');
              clearTimeout(typing.current);
              setParams({}, { replace: true });
            }}
          >
            {t('access.users.filters.clear')}
          </button>
        )}
      </form>

      {feedback && <Notice kind={feedback.kind}>{feedback.text}</Notice>}
      {list.error ? <Notice kind="error">{describeErrorIn(t, list.error, 'access')}</Notice> : null}

      {list.loading && list.items.length === 0 ? (
        <p className="loading">{t('actions.loading')}</p>
      ) : !list.loading && !list.error && list.items.length === 0 ? (
        <section className="empty-state" aria-live="polite">
          <h2>{t('access.users.empty.title')}</h2>
          <p>{filtered ? t('access.users.empty.filtered') : t('access.users.empty.none')}</p>
        </section>
      ) : list.items.length > 0 ? (
        <div className="table-wrap">
          <table className="users-table" aria-busy={list.loading || undefined}>
            <thead>
              <tr>
                <th scope="col">{t('access.users.columns.name')}</th>
                <th scope="col">{t('access.users.columns.email')}</th>
                <th scope="col">{t('access.users.columns.role')}</th>
                <th scope="col">{t('access.users.columns.node')}</th>
                <th scope="col">{t('access.users.columns.status')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('access.users.columns.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((u) => (
                <tr key={u.id} data-email={u.email} className={u.active ? undefined : 'inactive'}>
                  <td>{u.name}</td>
                  <td className="mono">{u.email}</td>
                  <td>{t(`roles.${u.role}`)}</td>
                  <td>
                    <span className="code">{u.nodeCode}</span> {nodeByCode.get(u.nodeCode)?.name ?? ''}
                  </td>
                  <td>
                    {u.active ? t('access.users.active') : t('access.users.inactive')}
                    {u.permissions.includes(EDIT_MESSAGES) && (
                      <span className="tag" title={t('access.users.permissions.tagHint')}>
                        {t('access.users.permissions.tag')}
                      </span>
                    )}
                    {u.mustChangePassword && (
                      <span className="tag muted" title={t('access.users.pendingPasswordHint')}>
                        {t('access.users.pendingPassword')}
                      </span>
                    )}
                  </td>
                  <td className="row-actions">
                    {u.id === me.id ? (
                      <span className="tag">{t('access.users.you')}</span>
                    ) : (
                      <MenuButton
                        label={t('access.users.actionsFor', { name: u.name })}
                        entries={entriesFor(u)}
                      >
                        <span aria-hidden="true">⋯</span>
                      </MenuButton>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      {list.items.length > 0 && (
        <footer className="list-footer">
          <span className="hint">{t('access.users.showing', { count: list.items.length })}</span>
          {list.nextCursor && <LoadMore list={list} />}
        </footer>
      )}

      <ConfirmDialog
        open={pending !== null}
        title={pending ? t(`access.users.${pending.kind}.title`, { name: pending.user.name }) : ''}
        message={
          pending?.kind === 'role' ? (
            choices.length === 0 ? (
              <p>{t('access.users.role.none')}</p>
            ) : (
              <label className="field">
                <span>{t('access.users.role.label')}</span>
                <select value={roleChoice} onChange={(e) => setRoleChoice(e.target.value as Role)}>
                  {choices.map((r) => (
                    <option key={r} value={r}>
                      {t(`roles.${r}`)}
                    </option>
                  ))}
                </select>
              </label>
            )
          ) : pending ? (
            <p>{t(`access.users.${pending.kind}.message`, { name: pending.user.name })}</p>
          ) : null
        }
        confirmLabel={pending ? t(`access.users.${pending.kind}.confirm`) : undefined}
        danger={pending?.kind === 'deactivate' || pending?.kind === 'reset'}
        busy={busy}
        error={actionError}
        onConfirm={() => void confirm()}
        onCancel={() => setPending(null)}
      />
      <TemporaryPasswordDialog shown={temporary} onClose={() => setTemporary(null)} />
    </section>
  );
}

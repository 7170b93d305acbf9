import { Fragment, type KeyboardEvent, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EffectiveParameter, NetworkNode, ParameterDefinition } from '../api/types.ts';
import { ApiError, api } from '../api.ts';
import { isAdmin, useAuth } from '../auth.tsx';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { ParameterInput } from './parameter-input.tsx';
import {
  type Draft,
  describeEffective,
  describeSource,
  describeValue,
  fromDraft,
  scopeText,
  toDraft,
} from './parameter-values.ts';
import { fold, lineageOf } from './tree.ts';

type Feedback = { kind: 'success' | 'error'; text: string } | null;

/** Moves focus to a control by id (or to the first input inside it, for a group of ticks). */
function focusById(id: string) {
  requestAnimationFrame(() => {
    const el = document.getElementById(id);
    const target = el?.matches('input, select, textarea, button')
      ? el
      : el?.querySelector('input, select, textarea');
    (target as HTMLElement | null | undefined)?.focus();
  });
}

/**
 * A node's parameters: the value in force in words and where it comes from. Admins of the node (at it
 * or above it) change a value with the input of its type and remove the node's own value, after saying
 * what will apply instead; everyone else reads.
 */
export function ParametersPanel(props: {
  node: NetworkNode;
  nodes: ReadonlyMap<string, NetworkNode>;
  definitions: readonly ParameterDefinition[];
}) {
  const { node, nodes, definitions } = props;
  const { t } = useTranslation();
  const { me } = useAuth();
  const [effective, setEffective] = useState<EffectiveParameter[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [search, setSearch] = useState('');
  const [group, setGroup] = useState('');
  const [onlyHere, setOnlyHere] = useState(false);
  const [feedback, setFeedback] = useState<Feedback>(null);
  const [editing, setEditing] = useState<{ code: string; draft: Draft } | null>(null);
  const [editError, setEditError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [removing, setRemoving] = useState<{ def: ParameterDefinition; consequence: string } | null>(null);
  const [removeBusy, setRemoveBusy] = useState(false);
  const [removeError, setRemoveError] = useState<string | null>(null);

  const admin = isAdmin(me);
  const manages = admin && me !== null && lineageOf(node.code, nodes).includes(me.nodeCode);

  useEffect(() => {
    const abort = new AbortController();
    setEffective(null);
    setLoadError(null);
    setEditing(null);
    setFeedback(null);
    api<{ items: EffectiveParameter[] }>(
      'GET',
      `/api/v1/nodes/${encodeURIComponent(node.code)}/parameters`,
      undefined,
      abort.signal,
    )
      .then((page) => setEffective(page.items))
      .catch((err: unknown) => {
        if (!abort.signal.aborted) setLoadError(err);
      });
    return () => abort.abort();
  }, [node.code]);

  const byCode = useMemo(() => new Map(definitions.map((d) => [d.code, d])), [definitions]);
  const groups = useMemo(() => [...new Set(definitions.map((d) => d.group))], [definitions]);

  const rows = useMemo(() => {
    const needle = fold(search.trim());
    return (effective ?? [])
      .map((p) => ({ p, def: byCode.get(p.code) }))
      .filter((r): r is { p: EffectiveParameter; def: ParameterDefinition } => r.def !== undefined)
      .filter(({ p, def }) => {
        if (group && def.group !== group) return false;
        if (onlyHere && p.source?.nodeCode !== node.code) return false;
        return !needle || fold(def.code).includes(needle) || fold(def.label).includes(needle);
      });
  }, [effective, byCode, search, group, onlyHere, node.code]);

  const replace = (next: EffectiveParameter) =>
    setEffective((list) => (list ?? []).map((p) => (p.code === next.code ? next : p)));

  const startEdit = (def: ParameterDefinition, p: EffectiveParameter) => {
    setFeedback(null);
    setEditError(null);
    setEditing({ code: def.code, draft: toDraft(def, p.hidden ? def.default : p.value) });
    focusById(`param-input-${def.code}`);
  };
  const stopEdit = (code: string) => {
    setEditing(null);
    setEditError(null);
    focusById(`edit-${code}`);
  };

  const save = async (def: ParameterDefinition) => {
    if (!editing) return;
    const parsed = fromDraft(t, def, editing.draft);
    if (!parsed.ok) {
      setEditError(parsed.message);
      focusById(`param-input-${def.code}`);
      return;
    }
    setSaving(true);
    setEditError(null);
    try {
      const next = await api<EffectiveParameter>(
        'PUT',
        `/api/v1/nodes/${encodeURIComponent(node.code)}/parameters/${encodeURIComponent(def.code)}`,
        { value: parsed.value },
      );
      replace(next);
      setFeedback({
        kind: 'success',
        text: t('network.parameters.saved', { code: def.code, value: describeValue(t, def, next.value) }),
      });
      stopEdit(def.code);
    } catch (err) {
      // A 422 is about the value: said beside the input, with the format expected.
      if (err instanceof ApiError && err.status === 422 && err.code === 'PARAMETER.INVALID_VALUE') {
        const own = t(`network.parameters.hints.${def.code}`, { defaultValue: '' });
        setEditError(`${t('network.parameters.invalid.server')} ${own}`.trim());
      } else setEditError(describeErrorIn(t, err, 'network'));
    } finally {
      setSaving(false);
    }
  };

  /** What applies once the node's own value is gone: the parent's effective value, or the default. */
  const askRemove = async (def: ParameterDefinition) => {
    setFeedback(null);
    setRemoveError(null);
    const question = t(`network.parameters.confirmRemove.question_${node.kind}`);
    let after: string;
    if (!node.parentCode) {
      after = t('network.parameters.confirmRemove.default', { value: describeValue(t, def, def.default) });
    } else {
      try {
        const parent = await api<EffectiveParameter>(
          'GET',
          `/api/v1/nodes/${encodeURIComponent(node.parentCode)}/parameters/${encodeURIComponent(def.code)}`,
        );
        if (!parent.source) {
          after = t('network.parameters.confirmRemove.default', {
            value: describeValue(t, def, parent.value),
          });
        } else {
          const where = { kind: t(`nodeKinds.${parent.source.kind}`), code: parent.source.nodeCode };
          after = parent.hidden
            ? t('network.parameters.confirmRemove.inheritedHidden', where)
            : t('network.parameters.confirmRemove.inherited', {
                ...where,
                value: describeValue(t, def, parent.value),
              });
        }
      } catch {
        after = t('network.parameters.confirmRemove.unknown');
      }
    }
    setRemoving({ def, consequence: `${question} ${after}` });
  };

  const remove = async () => {
    if (!removing) return;
    const { def } = removing;
    setRemoveBusy(true);
    setRemoveError(null);
    try {
      const next = await api<EffectiveParameter>(
        'DELETE',
        `/api/v1/nodes/${encodeURIComponent(node.code)}/parameters/${encodeURIComponent(def.code)}`,
      );
      replace(next);
      setRemoving(null);
      setFeedback({
        kind: 'success',
        text: t('network.parameters.removed', {
          code: def.code,
          value: describeEffective(t, def, next),
          source: describeSource(t, next, node.code),
        }),
      });
      focusById(`edit-${def.code}`);
    } catch (err) {
      setRemoveError(describeErrorIn(t, err, 'network'));
    } finally {
      setRemoveBusy(false);
    }
  };

  const columns = manages ? 5 : 4;
  const onEditorKey = (e: KeyboardEvent, code: string) => {
    if (e.key === 'Escape' && !saving) {
      e.preventDefault();
      stopEdit(code);
    }
  };

  return (
    <section className="card parameters" aria-labelledby="parameters-title">
      <h2 id="parameters-title">{t('network.parameters.title', { name: node.name })}</h2>
      {!admin && <p className="hint read-only-note">{t('network.parameters.readOnly.notAdmin')}</p>}
      {admin && !manages && (
        <p className="hint read-only-note">{t('network.parameters.readOnly.above', { name: node.name })}</p>
      )}

      <div className="toolbar">
        <label className="field grow">
          <span>{t('network.parameters.search')}</span>
          <input
            type="search"
            value={search}
            placeholder={t('network.parameters.searchPlaceholder')}
            onChange={(e) => setSearch(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('network.parameters.group')}</span>
          <select value={group} onChange={(e) => setGroup(e.target.value)}>
            <option value="">{t('network.parameters.allGroups')}</option>
            {groups.map((g) => (
              <option key={g} value={g}>
                {t(`network.parameters.groups.${g}`, { defaultValue: g })}
              </option>
            ))}
          </select>
        </label>
        <label className="check-line">
          <input type="checkbox" checked={onlyHere} onChange={(e) => setOnlyHere(e.target.checked)} />
          {t('network.parameters.onlyHere')}
        </label>
      </div>

      {feedback && <Notice kind={feedback.kind}>{feedback.text}</Notice>}
      {loadError ? <Notice kind="error">{describeErrorIn(t, loadError, 'network')}</Notice> : null}
      {!effective && !loadError && <p className="loading">{t('actions.loading')}</p>}
      {effective && rows.length === 0 && (
        <p className="empty-state">
          {effective.length === 0 ? t('network.parameters.empty') : t('network.parameters.noMatch')}
        </p>
      )}

      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="parameters-table">
            <thead>
              <tr>
                <th scope="col">{t('network.parameters.columns.code')}</th>
                <th scope="col">{t('network.parameters.columns.label')}</th>
                <th scope="col">{t('network.parameters.columns.value')}</th>
                <th scope="col">{t('network.parameters.columns.source')}</th>
                {manages && <th scope="col">{t('network.parameters.columns.actions')}</th>}
              </tr>
            </thead>
            {groups.map((g) => {
              const inGroup = rows.filter((r) => r.def.group === g);
              if (inGroup.length === 0) return null;
              return (
                <tbody key={g}>
                  <tr className="group-row">
                    <th scope="colgroup" colSpan={columns}>
                      {t(`network.parameters.groups.${g}`, { defaultValue: g })}
                    </th>
                  </tr>
                  {inGroup.map(({ p, def }) => {
                    const here = p.source?.nodeCode === node.code;
                    const sourceClass = here ? 'here' : p.source ? 'inherited' : 'default';
                    const settable = def.scope.includes(node.kind);
                    const isEditing = editing?.code === def.code;
                    return (
                      <Fragment key={def.code}>
                        <tr data-param={def.code} className={isEditing ? 'selected' : undefined}>
                          <td className="code">{def.code}</td>
                          <td className="wrap label-cell">
                            {def.label}
                            {!def.honoured && (
                              <span className="tag muted" title={t('network.parameters.notYetHint')}>
                                {t('network.parameters.notYet')}
                              </span>
                            )}
                          </td>
                          <td className="wrap value-cell">{describeEffective(t, def, p)}</td>
                          <td>
                            <span className={`source source-${sourceClass}`}>
                              {describeSource(t, p, node.code)}
                            </span>
                          </td>
                          {manages && (
                            <td className="actions">
                              {settable ? (
                                <>
                                  <button
                                    id={`edit-${def.code}`}
                                    type="button"
                                    className="button small"
                                    aria-label={t('network.parameters.editLabel', { code: def.code })}
                                    aria-expanded={isEditing}
                                    onClick={() => (isEditing ? stopEdit(def.code) : startEdit(def, p))}
                                  >
                                    {t('network.parameters.edit')}
                                  </button>
                                  {here && (
                                    <button
                                      type="button"
                                      className="button small"
                                      aria-label={t('network.parameters.removeLabel', { code: def.code })}
                                      onClick={() => void askRemove(def)}
                                    >
                                      {t('network.parameters.remove')}
                                    </button>
                                  )}
                                </>
                              ) : (
                                <span className="hint">
                                  {t('network.parameters.onlyAt', { kinds: scopeText(t, def.scope) })}
                                </span>
                              )}
                            </td>
                          )}
                        </tr>
                        {isEditing && editing && (
                          <tr className="expanded-row">
                            <td colSpan={columns}>
                              <form
                                className="param-editor"
                                aria-label={t('network.parameters.editorTitle', {
                                  code: def.code,
                                  label: def.label,
                                })}
                                onKeyDown={(e) => onEditorKey(e, def.code)}
                                onSubmit={(e) => {
                                  e.preventDefault();
                                  void save(def);
                                }}
                                noValidate
                              >
                                <p className="editor-title">
                                  <strong>{def.code}</strong> — {def.label}
                                </p>
                                <ParameterInput
                                  def={def}
                                  id={`param-input-${def.code}`}
                                  draft={editing.draft}
                                  error={editError}
                                  onChange={(draft) => {
                                    setEditing({ code: def.code, draft });
                                    setEditError(null);
                                  }}
                                />
                                <p className="hint">{t('network.parameters.editorHint')}</p>
                                <div className="editor-actions">
                                  <button type="submit" className="button primary" disabled={saving}>
                                    {saving ? t('actions.saving') : t('actions.save')}
                                  </button>
                                  <button
                                    type="button"
                                    className="button"
                                    disabled={saving}
                                    onClick={() => stopEdit(def.code)}
                                  >
                                    {t('actions.cancel')}
                                  </button>
                                </div>
                              </form>
                            </td>
                          </tr>
                        )}
                      </Fragment>
                    );
                  })}
                </tbody>
              );
            })}
          </table>
        </div>
      )}

      <ConfirmDialog
        open={removing !== null}
        title={t('network.parameters.confirmRemove.title')}
        message={removing && <p>{removing.consequence}</p>}
        confirmLabel={t('network.parameters.confirmRemove.confirm')}
        danger
        busy={removeBusy}
        error={removeError}
        onConfirm={() => void remove()}
        onCancel={() => {
          const code = removing?.def.code;
          setRemoving(null);
          if (code) focusById(`edit-${code}`);
        }}
      />
    </section>
  );
}

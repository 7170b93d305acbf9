import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AddressInput, Municipality, NetworkNode, NodeCreate, NodePatch } from '../api/types.ts';
import { ApiError, api, query } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { fieldLayout } from '../components/form-fields.tsx';
import { Notice } from '../components/notice.tsx';
import { fieldErrors } from '../errors.ts';
import { formatDocument } from '../format.ts';
import { MapPicker, type Point } from './map-picker.tsx';

/** The 27 UFs, for the address's select (the API refuses anything else). */
const UFS = [
  'AC',
  'AL',
  'AM',
  'AP',
  'BA',
  'CE',
  'DF',
  'ES',
  'GO',
  'MA',
  'MG',
  'MS',
  'MT',
  'PA',
  'PB',
  'PE',
  'PI',
  'PR',
  'RJ',
  'RN',
  'RO',
  'RR',
  'RS',
  'SC',
  'SE',
  'SP',
  'TO',
] as const;

export type NodeFormMode =
  | { kind: 'create'; parent: NetworkNode; childKind: 'store' | 'central' }
  | { kind: 'edit'; node: NetworkNode };

type Key =
  | 'code'
  | 'name'
  | 'legalName'
  | 'cnpj'
  | 'stateRegistration'
  | 'email'
  | 'visibility'
  | 'state'
  | 'city'
  | 'street'
  | 'number'
  | 'complement'
  | 'district'
  | 'postalCode'
  | 'latitude'
  | 'longitude';
type Errors = Partial<Record<Key, string>>;

/** Where the API's JSON pointers land in the form. */
const pathToKey: Record<string, Key> = {
  '/code': 'code',
  '/name': 'name',
  '/legalName': 'legalName',
  '/cnpj': 'cnpj',
  '/stateRegistration': 'stateRegistration',
  '/email': 'email',
  '/visibility': 'visibility',
  '/address/state': 'state',
  '/address/city': 'city',
  '/address/cityCode': 'city',
  '/address/street': 'street',
  '/address/number': 'number',
  '/address/complement': 'complement',
  '/address/district': 'district',
  '/address/postalCode': 'postalCode',
  '/latitude': 'latitude',
  '/longitude': 'longitude',
};

/** The CNPJ masked as it is typed: 12.ABC.345/01DE-35 (letters allowed in the first 12 since 2026). */
export function maskCnpj(value: string): string {
  const v = value
    .replace(/[^0-9A-Za-z]/g, '')
    .toUpperCase()
    .slice(0, 14);
  const parts = [v.slice(0, 2), v.slice(2, 5), v.slice(5, 8), v.slice(8, 12), v.slice(12, 14)];
  let out = parts[0] ?? '';
  if (parts[1]) out += `.${parts[1]}`;
  if (parts[2]) out += `.${parts[2]}`;
  if (parts[3]) out += `/${parts[3]}`;
  if (parts[4]) out += `-${parts[4]}`;
  return out;
}

const maskCep = (value: string) => {
  const d = value.replace(/\D/g, '').slice(0, 8);
  return d.length > 5 ? `${d.slice(0, 5)}-${d.slice(5)}` : d;
};

const coordinateText = (v: number | null) => (v === null ? '' : String(v).replace('.', ','));
const parseCoordinate = (text: string): number | null | 'invalid' => {
  const v = text.trim().replace(',', '.');
  if (!v) return null;
  return /^-?\d{1,3}(\.\d+)?$/.test(v) ? Number(v) : 'invalid';
};

/**
 * Creating a central or a store under a node, or editing one: company data, the address with its IBGE
 * municipality (autocomplete from /municipalities, the code shown once resolved), coordinates typed or picked on
 * the offline map. The code is set at creation only. The tax regime is the fiscal panel's, not repeated here.
 */
export function NodeForm(props: {
  mode: NodeFormMode;
  stores: readonly NetworkNode[];
  onSaved(node: NetworkNode, created: boolean): void;
  onStale(): void;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const ids = useId();
  const editing = props.mode.kind === 'edit' ? props.mode.node : null;
  const kind = props.mode.kind === 'edit' ? props.mode.node.kind : props.mode.childKind;
  const a = editing?.address ?? null;

  const [code, setCode] = useState('');
  const [name, setName] = useState(editing?.name ?? '');
  const [legalName, setLegalName] = useState(editing?.legalName ?? '');
  const [cnpj, setCnpj] = useState(editing?.cnpj ? formatDocument(editing.cnpj) : '');
  const [ie, setIe] = useState(editing?.stateRegistration ?? '');
  const [email, setEmail] = useState(editing?.email ?? '');
  const [visibility, setVisibility] = useState(editing?.visibility ?? 'private');
  const [state, setState] = useState(a?.state ?? '');
  const [city, setCity] = useState(a?.city ?? '');
  const [municipality, setMunicipality] = useState<Municipality | null>(
    a ? { code: a.cityCode, name: a.city, state: a.state, latitude: NaN, longitude: NaN } : null,
  );
  const [suggestions, setSuggestions] = useState<Municipality[] | null>(null);
  const [street, setStreet] = useState(a?.street ?? '');
  const [number, setNumber] = useState(a?.number ?? '');
  const [complement, setComplement] = useState(a?.complement ?? '');
  const [district, setDistrict] = useState(a?.district ?? '');
  const [postalCode, setPostalCode] = useState(a ? maskCep(a.postalCode) : '');
  const [latitude, setLatitude] = useState(coordinateText(editing?.latitude ?? null));
  const [longitude, setLongitude] = useState(coordinateText(editing?.longitude ?? null));
  const [mapOpen, setMapOpen] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  // The autocomplete: the state's municipalities containing what is typed, once the name is not the chosen one.
  useEffect(() => {
    const text = city.trim();
    if (!state || text.length < 2 || municipality?.name === city) {
      setSuggestions(null);
      return;
    }
    const abort = new AbortController();
    const timer = setTimeout(() => {
      api<{ items: Municipality[] }>(
        'GET',
        `/api/v1/municipalities${query({ state, q: text, limit: 8 })}`,
        undefined,
        abort.signal,
      )
        .then((res) => setSuggestions(res.items))
        .catch(() => setSuggestions(null));
    }, 200);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [state, city, municipality]);

  // The centre of an existing node's municipality, for the map's start (the list answer carries coordinates).
  useEffect(() => {
    if (!municipality || !Number.isNaN(municipality.latitude)) return;
    const abort = new AbortController();
    api<{ items: Municipality[] }>(
      'GET',
      `/api/v1/municipalities${query({ state: municipality.state, q: municipality.name, limit: 20 })}`,
      undefined,
      abort.signal,
    )
      .then((res) => {
        const same = res.items.find((m) => m.code === municipality.code);
        if (same) setMunicipality(same);
      })
      .catch(() => {});
    return () => abort.abort();
  }, [municipality]);

  const choose = (m: Municipality) => {
    setCity(m.name);
    setMunicipality(m);
    setSuggestions(null);
    setErrors((x) => ({ ...x, city: undefined }));
  };

  const addressParts = [street, number, district, city, state, postalCode];
  const anyAddress = addressParts.some((p) => p.trim()) || complement.trim() !== '';

  const validate = (): Errors => {
    const found: Errors = {};
    const required = t('network.manage.invalid.required');
    if (!editing && !/^[A-Za-z0-9_-]{1,20}$/.test(code.trim()))
      found.code = code.trim() ? t('network.manage.invalid.code') : required;
    if (!name.trim()) found.name = required;
    if (!legalName.trim()) found.legalName = required;
    const cnpjChars = cnpj.replace(/[^0-9A-Za-z]/g, '');
    if (kind === 'store' && !cnpjChars) found.cnpj = required;
    else if (cnpjChars && cnpjChars.length !== 14) found.cnpj = t('network.manage.invalid.cnpj');
    if (anyAddress) {
      for (const [key, value] of [
        ['street', street],
        ['number', number],
        ['district', district],
        ['city', city],
        ['state', state],
        ['postalCode', postalCode],
      ] as const) {
        if (!value.trim()) found[key] = t('network.manage.invalid.address');
      }
    }
    const lat = parseCoordinate(latitude);
    const lon = parseCoordinate(longitude);
    if (lat === 'invalid') found.latitude = t('network.manage.invalid.coordinate');
    if (lon === 'invalid') found.longitude = t('network.manage.invalid.coordinate');
    if ((lat === null) !== (lon === null) && lat !== 'invalid' && lon !== 'invalid') {
      found[lat === null ? 'latitude' : 'longitude'] = t('network.manage.invalid.pair');
    }
    return found;
  };

  const address = (): AddressInput | null => {
    if (!anyAddress) return null;
    return {
      street: street.trim(),
      number: number.trim(),
      complement: complement.trim() || null,
      district: district.trim(),
      city: city.trim(),
      // The chosen municipality's code; a name typed without choosing is resolved by the server.
      ...(municipality && municipality.name === city && municipality.state === state
        ? { cityCode: municipality.code }
        : {}),
      state,
      postalCode: postalCode.replace(/\D/g, ''),
    };
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    const found = validate();
    setErrors(found);
    const first = Object.keys(found)[0];
    if (first) {
      setFormError(t('network.manage.fieldsInvalid'));
      document.getElementById(`${ids}-${first}`)?.focus();
      return;
    }
    const lat = parseCoordinate(latitude) as number | null;
    const lon = parseCoordinate(longitude) as number | null;
    const fields = {
      name: name.trim(),
      legalName: legalName.trim(),
      cnpj: cnpj.trim() ? cnpj.trim() : null,
      stateRegistration: ie.trim() ? ie.trim() : null,
      email: email.trim() ? email.trim() : null,
      visibility,
      address: address(),
      latitude: lat,
      longitude: lon,
    };
    setSaving(true);
    try {
      if (editing) {
        const body: NodePatch = { version: editing.version, ...fields };
        const saved = await api<NetworkNode>(
          'PATCH',
          `/api/v1/nodes/${encodeURIComponent(editing.code)}`,
          body,
        );
        props.onSaved(saved, false);
      } else if (props.mode.kind === 'create') {
        const body: NodeCreate = {
          parentCode: props.mode.parent.code,
          kind: props.mode.childKind,
          code: code.trim(),
          ...fields,
        };
        const saved = await api<NetworkNode>('POST', '/api/v1/nodes', body);
        props.onSaved(saved, true);
      }
    } catch (err) {
      if (err instanceof ApiError && err.code === 'NETWORK.STALE_VERSION') {
        props.onStale();
        return;
      }
      const byPath = fieldErrors(t, err);
      const next: Errors = {};
      for (const [path, text] of Object.entries(byPath)) {
        const key = pathToKey[path];
        if (key && !next[key]) next[key] = text;
      }
      setErrors(next);
      const firstServer = Object.keys(next)[0];
      setFormError(describeErrorIn(t, err, 'network'));
      if (firstServer) document.getElementById(`${ids}-${firstServer}`)?.focus();
    } finally {
      setSaving(false);
    }
  };

  const { field, described } = fieldLayout<Key>(ids, errors);
  const clear = (key: Key) => setErrors((x) => ({ ...x, [key]: undefined }));
  const text = (
    key: Key,
    label: string,
    value: string,
    set: (v: string) => void,
    opts: { hint?: ReactNode; type?: string; maxLength?: number; inputMode?: 'numeric' | 'decimal' } = {},
  ) =>
    field(
      key,
      label,
      <input
        id={`${ids}-${key}`}
        type={opts.type ?? 'text'}
        value={value}
        maxLength={opts.maxLength}
        inputMode={opts.inputMode}
        aria-invalid={errors[key] ? true : undefined}
        aria-describedby={described(key, !!opts.hint)}
        onChange={(e) => {
          set(e.target.value);
          clear(key);
        }}
      />,
      opts.hint,
    );

  const mapValue: Point | null = (() => {
    const lat = parseCoordinate(latitude);
    const lon = parseCoordinate(longitude);
    return typeof lat === 'number' && typeof lon === 'number' ? { latitude: lat, longitude: lon } : null;
  })();
  const cityPoint =
    municipality && !Number.isNaN(municipality.latitude) && municipality.name === city
      ? { latitude: municipality.latitude, longitude: municipality.longitude, name: municipality.name }
      : null;
  const storesOnMap = props.stores
    .filter((s) => s.latitude !== null && s.longitude !== null && s.code !== editing?.code)
    .map((s) => ({
      code: s.code,
      name: s.name,
      latitude: s.latitude as number,
      longitude: s.longitude as number,
    }));

  const title = editing
    ? t('network.manage.editTitle', { name: editing.name })
    : props.mode.kind === 'create'
      ? t(`network.manage.createTitle.${props.mode.childKind}`, { parent: props.mode.parent.name })
      : '';

  return (
    <section className="card node-form-card" aria-labelledby={`${ids}-title`}>
      <form className="node-form" onSubmit={(e) => void submit(e)} noValidate>
        <h2 id={`${ids}-title`}>{title}</h2>
        <div className="form-grid">
          {!editing &&
            text('code', t('network.manage.fields.code'), code, setCode, {
              hint: t('network.manage.fields.codeHint'),
              maxLength: 20,
            })}
          {text('name', t('network.manage.fields.name'), name, setName, { maxLength: 120 })}
          {text('legalName', t('network.manage.fields.legalName'), legalName, setLegalName, {
            maxLength: 120,
          })}
          {text('cnpj', t('network.manage.fields.cnpj'), cnpj, (v) => setCnpj(maskCnpj(v)), {
            hint: t('network.manage.fields.cnpjHint'),
            maxLength: 18,
          })}
          {text('stateRegistration', t('network.manage.fields.stateRegistration'), ie, setIe, {
            hint: t('network.manage.fields.stateRegistrationHint'),
            maxLength: 20,
          })}
          {text('email', t('network.manage.fields.email'), email, setEmail, {
            type: 'email',
            maxLength: 254,
          })}
          {field(
            'visibility',
            t('network.manage.fields.visibility'),
            <select
              id={`${ids}-visibility`}
              value={visibility}
              onChange={(e) => setVisibility(e.target.value as 'public' | 'private')}
            >
              <option value="public">{t('network.manage.fields.public')}</option>
              <option value="private">{t('network.manage.fields.private')}</option>
            </select>,
          )}
        </div>
        {kind === 'store' && <p className="hint">{t('network.manage.fields.taxRegime')}</p>}

        <fieldset className="choices">
          <legend>{t('network.manage.fields.address')}</legend>
          <div className="form-grid">
            {field(
              'state',
              t('network.manage.fields.state'),
              <select
                id={`${ids}-state`}
                value={state}
                aria-invalid={errors.state ? true : undefined}
                aria-describedby={described('state')}
                onChange={(e) => {
                  setState(e.target.value);
                  setMunicipality(null);
                  clear('state');
                }}
              >
                <option value="">{t('network.manage.fields.chooseState')}</option>
                {UFS.map((uf) => (
                  <option key={uf} value={uf}>
                    {uf}
                  </option>
                ))}
              </select>,
            )}
            {field(
              'city',
              t('network.manage.fields.city'),
              <div className="autocomplete">
                <input
                  id={`${ids}-city`}
                  type="text"
                  value={city}
                  maxLength={60}
                  autoComplete="off"
                  role="combobox"
                  aria-autocomplete="list"
                  aria-expanded={!!suggestions?.length}
                  aria-controls={`${ids}-city-list`}
                  aria-invalid={errors.city ? true : undefined}
                  aria-describedby={described('city', true)}
                  onChange={(e) => {
                    setCity(e.target.value);
                    clear('city');
                  }}
                />
                {suggestions && (
                  <ul
                    id={`${ids}-city-list`}
                    className="suggestions"
                    aria-label={t('network.manage.fields.suggestions')}
                  >
                    {suggestions.length === 0 ? (
                      <li className="hint">{t('network.manage.fields.noSuggestions', { state })}</li>
                    ) : (
                      suggestions.map((m) => (
                        <li key={m.code}>
                          <button type="button" className="suggestion" onClick={() => choose(m)}>
                            {m.name} <span className="mono hint">{m.code}</span>
                          </button>
                        </li>
                      ))
                    )}
                  </ul>
                )}
              </div>,
              municipality && municipality.name === city
                ? t('network.manage.fields.cityCode', { code: municipality.code })
                : t('network.manage.fields.cityHint'),
            )}
            {text('street', t('network.manage.fields.street'), street, setStreet, { maxLength: 120 })}
            {text('number', t('network.manage.fields.number'), number, setNumber, { maxLength: 20 })}
            {text('complement', t('network.manage.fields.complement'), complement, setComplement, {
              maxLength: 60,
            })}
            {text('district', t('network.manage.fields.district'), district, setDistrict, { maxLength: 60 })}
            {text(
              'postalCode',
              t('network.manage.fields.postalCode'),
              postalCode,
              (v) => setPostalCode(maskCep(v)),
              {
                inputMode: 'numeric',
                maxLength: 9,
              },
            )}
          </div>
        </fieldset>

        <fieldset className="choices">
          <legend>{t('network.manage.fields.coordinates')}</legend>
          <div className="form-grid">
            {text('latitude', t('network.manage.fields.latitude'), latitude, setLatitude, {
              hint: t('network.manage.fields.coordinatesHint'),
              inputMode: 'decimal',
              maxLength: 12,
            })}
            {text('longitude', t('network.manage.fields.longitude'), longitude, setLongitude, {
              inputMode: 'decimal',
              maxLength: 12,
            })}
          </div>
          <button
            type="button"
            className="button"
            aria-expanded={mapOpen}
            onClick={() => setMapOpen((o) => !o)}
          >
            {mapOpen ? t('network.manage.map.close') : t('network.manage.map.open')}
          </button>
          {mapOpen && (
            <MapPicker
              value={mapValue}
              cityPoint={cityPoint}
              stores={storesOnMap}
              onPick={(p) => {
                setLatitude(coordinateText(p.latitude));
                setLongitude(coordinateText(p.longitude));
                clear('latitude');
                clear('longitude');
              }}
            />
          )}
        </fieldset>

        {formError && <Notice kind="error">{formError}</Notice>}
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={saving}>
            {saving ? t('actions.saving') : t('actions.save')}
          </button>
          <button type="button" className="button" onClick={props.onCancel} disabled={saving}>
            {t('actions.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}

import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { NetworkNode } from '../api/types.ts';
import { formatDocument } from '../format.ts';

const coordinate = new Intl.NumberFormat('pt-BR', { minimumFractionDigits: 6, maximumFractionDigits: 6 });
const formatCep = (cep: string) => (/^\d{8}$/.test(cep) ? `${cep.slice(0, 5)}-${cep.slice(5)}` : cep);

/** A node's registration data as the API gives it to this user; what is missing says so. */
export function NodeCard({ node }: { node: NetworkNode }) {
  const { t } = useTranslation();
  const missing = <span className="hint">{t('network.node.notInformed')}</span>;
  const a = node.address;
  const rows: [string, ReactNode][] = [
    [t('network.node.code'), <strong key="code">{node.code}</strong>],
    [t('network.node.kind'), t(`nodeKinds.${node.kind}`)],
    [t('network.node.legalName'), node.legalName],
    [
      t('network.node.cnpj'),
      node.cnpj ? (
        <span key="cnpj" className="mono">
          {formatDocument(node.cnpj)}
        </span>
      ) : (
        missing
      ),
    ],
    [t('network.node.stateRegistration'), node.stateRegistration ?? missing],
    [
      t('network.node.address'),
      a ? `${a.street}, ${a.number}${a.complement ? `, ${a.complement}` : ''} — ${a.district}` : missing,
    ],
    [t('network.node.cityState'), a ? `${a.city}/${a.state}` : missing],
    [t('network.node.postalCode'), a ? formatCep(a.postalCode) : missing],
    [
      t('network.node.coordinates'),
      node.latitude !== null && node.longitude !== null
        ? `${coordinate.format(node.latitude)}; ${coordinate.format(node.longitude)}`
        : missing,
    ],
    [t('network.node.email'), node.email ?? missing],
    [t('network.node.status'), node.active ? t('network.node.active') : t('network.node.inactive')],
    [
      t('network.node.visibility'),
      node.visibility === 'public' ? t('network.node.public') : t('network.node.private'),
    ],
  ];
  return (
    <section className="card node-card" aria-labelledby="node-title">
      <h1 id="node-title">
        <span className={`kind kind-${node.kind}`}>{t(`nodeKinds.${node.kind}`)}</span> {node.name}
      </h1>
      <dl className="facts">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

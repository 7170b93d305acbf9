import { access } from './access.ts';
import { apiClients } from './api-clients.ts';
import { audit } from './audit.ts';
import { carriers } from './carriers.ts';
import { catalog } from './catalog.ts';
import { common } from './common.ts';
import { conference } from './conference.ts';
import { connector } from './connector.ts';
import { counter } from './counter.ts';
import { delivery } from './delivery.ts';
import { fields } from './fields.ts';
import { finance } from './finance.ts';
import { fiscal } from './fiscal.ts';
import { labels } from './labels.ts';
import { network } from './network.ts';
import { notifications } from './notifications.ts';
import { orders } from './orders.ts';
import { pos } from './pos.ts';
import { posSync } from './pos-sync.ts';
import { returns } from './returns.ts';
import { split } from './split.ts';
import { whatsapp } from './whatsapp.ts';

/** The back office in Brazilian Portuguese: one catalogue per screen, merged here. */
export const ptBR = {
  ...common,
  fields,
  orders,
  conference,
  catalog,
  network,
  delivery,
  carriers,
  split,
  access,
  apiClients,
  pos,
  returns,
  audit,
  fiscal,
  counter,
  whatsapp,
  labels,
  notifications,
  connector,
  finance,
  posSync,
};

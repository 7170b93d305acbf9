/** Integrações: the connector's screens (interfaces, tickets, consumption, platforms and their mappings). */
export const connector = {
  nav: {
    group: 'Integrações',
    groupLabel: 'Menu Integrações',
    clients: 'Clientes de API e webhooks',
    interfaces: 'Interfaces',
    tickets: 'Tickets',
    consumption: 'Consumo',
    platforms: 'Plataformas',
  },
  interfaces: { title: 'Interfaces de integração' },
  tickets: { title: 'Tickets do Connector' },
  consumption: { title: 'Consumo do Connector' },
  platforms: { title: 'Plataformas de e-commerce' },
};

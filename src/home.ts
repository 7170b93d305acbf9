/** The start page when the back office is not built (`npm run build:web`): what is running and where to go. */
export function homePage(info: { version: string; database: 'embedded' | 'server' }): string {
  const db = info.database === 'embedded' ? 'banco embutido (PGlite)' : 'servidor PostgreSQL';
  return `<!doctype html>
<html lang="pt-BR">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Omnihub</title>
<style>body{font-family:system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#1f2933}
code{background:#eef2f7;padding:.1rem .3rem;border-radius:4px}a{color:#0b5cad}</style></head>
<body>
<h1>Omnihub ${info.version}</h1>
<p>Hub de pedidos omnichannel em execução, com ${db}.</p>
<ul>
<li><a href="/docs">Referência da API</a> (<a href="/openapi.json">OpenAPI 3.1</a>)</li>
<li><a href="/health">Saúde do serviço</a></li>
</ul>
<p>O aplicativo de retaguarda não foi gerado: rode <code>npm run build:web</code> e recarregue.</p>
</body></html>`;
}

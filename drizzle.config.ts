import { defineConfig } from 'drizzle-kit';

// Every context keeps its tables in its own schema.ts; one migration history covers them all.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/**/schema.ts',
  out: './drizzle',
});

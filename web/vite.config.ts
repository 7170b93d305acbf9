import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The back office is built into web/dist and served by Omnihub itself at `/` (src/platform/http/web-app.ts).
// `npm run dev:web` serves it with hot reload, proxying the API to an `npm start` on port 3000.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 800 },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The SDK is used from source (sdk/ts/src), so the console and the SDK cannot drift.
const sdk = fileURLToPath(new URL('../sdk/ts/src/index.ts', import.meta.url));

export default defineConfig({
  base: './',
  resolve: { alias: { '@formica/sdk': sdk } },
  build: {
    outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 1024,
    // Two pages: the console, and the consumer trace page the Digital Link resolver sends browsers to.
    rollupOptions: { input: { main: fileURLToPath(new URL('./index.html', import.meta.url)), trace: fileURLToPath(new URL('./trace.html', import.meta.url)), id: fileURLToPath(new URL('./id.html', import.meta.url)) } },
  },
  server: { fs: { allow: ['..'] } },
  test: { include: ['test/**/*.test.ts'], environment: 'node' },
});

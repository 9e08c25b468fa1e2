import { defineConfig } from 'vitest/config';
import base from './vite.config.js';

// Browser end-to-end tests (scripts/web_test.sh): a real node, a tampering proxy, Debian's
// chromium driven by playwright-core. One file at a time, long timeouts.
export default defineConfig({
  ...base,
  test: {
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 180_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    reporters: ['verbose'],
  },
});

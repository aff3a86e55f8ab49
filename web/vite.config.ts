import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The console: a static single-page app built into web/dist. It imports the form validators of
 * shared/ through the same `#shared/*` alias as the server code, so the browser and the API give the
 * same messages. Its one runtime setting (API URL, sign-in) comes from /config.json, written by
 * `npm start` locally and by the CDK deployment in the cloud, never from the build.
 */
const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: './',
  resolve: { alias: [{ find: /^#shared\/(.*)$/, replacement: `${here('../shared')}/$1.ts` }] },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
  logLevel: 'warn',
});

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The console: a static single-page app built into web/dist. It imports the form validators of
 * shared/ through the same `#shared/*` alias as the server code, so the browser and the API give the
 * same messages. Its one runtime setting (API URL, sign-in) comes from /config.json, written by
 * `npm start` locally and by the CDK deployment in the cloud, never from the build.
 */
const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

export default defineConfig(({ command }) => ({
  root: here('.'),
  // A build is a production build even when started from a test run (NODE_ENV=test would otherwise
  // bundle React's development build, half as big again).
  ...(command === 'build' ? { define: { 'process.env.NODE_ENV': JSON.stringify('production') } } : {}),
  base: './',
  resolve: { alias: [{ find: /^#shared\/(.*)$/, replacement: `${here('../shared')}/$1.ts` }] },
  oxc: { jsx: { runtime: 'automatic', development: command !== 'build' } },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
  logLevel: 'warn',
}));

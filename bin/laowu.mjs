#!/usr/bin/env node
// `npx laowu …`: runs the TypeScript CLI through tsx, so the CLI is the project's own code, unbundled.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./laowu-cli.ts');
process.exitCode = await main(process.argv.slice(2));

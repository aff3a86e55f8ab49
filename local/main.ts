import path from 'node:path';
import { projectRoot } from '#infra/laowu-function';
import { startLocalCloud } from './cloud';
import { buildConsole, CONSOLE_ROUND, consoleHandler } from './console';
import { synthTemplate } from './template';

/**
 * `npm start`: synthesizes the CDK app and runs it locally until Ctrl-C.
 * PORT (default 3000) and LAOWU_DATA_DIR (default `.data/`) may be set.
 */
const port = Number(process.env.PORT ?? 3000);
const dataDir = path.resolve(process.env.LAOWU_DATA_DIR ?? path.join(projectRoot, '.data'));

const started = Date.now();
// The console posts files straight to local S3, whose CORS rules come from the template: allow this port.
const template = await synthTemplate({ allowedOrigins: `http://127.0.0.1:${port},http://localhost:${port}` });
const consoleDir = await buildConsole();
const cloud = await startLocalCloud({
  template,
  dataDir,
  port,
  console: consoleHandler(consoleDir, { apiUrl: '', roundId: CONSOLE_ROUND, auth: { mode: 'local' } }),
  log: (line) => console.log(`[laowu] ${line}`),
});

console.log(`
Laowu local cloud is up (${((Date.now() - started) / 1000).toFixed(1)} s)
  console        ${cloud.url}/
  API            ${cloud.url}/v1   (health: ${cloud.url}/health)
  tokens         POST ${cloud.url}/local/token   clock: ${cloud.url}/local/clock
  DynamoDB       ${cloud.endpoints.dynamodb}
  S3             ${cloud.endpoints.s3}
  Step Functions ${cloud.endpoints.stepfunctions}
  data           ${dataDir}
Ctrl-C stops everything.`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping…');
  await cloud.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { LaowuStack } from './laowu-stack';

/**
 * The CDK app: `npx cdk deploy -c issuer=https://idp.example/realms/laowu -c audience=laowu`.
 * Context:
 *   issuer, audience     the OIDC identity provider the API trusts (required to deploy)
 *   allowedOrigins       comma-separated console origins (CORS)
 *   retainData           "false" only for throwaway stacks; production keeps tables and buckets
 */
export function createApp(props: AppProps = {}): {
  app: App;
  stack: LaowuStack;
  nagPacks: [AwsSolutionsChecks, ServerlessChecks];
} {
  const app = new App(props);
  const read = (key: string): string | undefined => {
    const value = app.node.tryGetContext(key);
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  };
  const issuer = read('issuer');
  const audience = read('audience');
  if (!issuer || !audience)
    throw new Error('context "issuer" and "audience" are required (-c issuer=… -c audience=…)');

  const stack = new LaowuStack(app, 'Laowu', {
    issuer,
    audience: audience.split(','),
    allowedOrigins: (read('allowedOrigins') ?? 'http://127.0.0.1:3000,http://localhost:3000').split(','),
    retainData: read('retainData') !== 'false',
    description: 'Laowu: labour brand and labour cooperation base recognition pipeline',
  });

  const nagPacks: [AwsSolutionsChecks, ServerlessChecks] = [
    new AwsSolutionsChecks(app),
    new ServerlessChecks(app),
  ];
  Validations.of(app).addPlugins(...nagPacks);
  return { app, stack, nagPacks };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  createApp().app.synth();
}

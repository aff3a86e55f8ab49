import { Template } from 'aws-cdk-lib/assertions';
import { createApp } from '#infra/app';

/**
 * Synthesizes the real app for template assertions: bundling skipped (only the template matters
 * here) and CDK's built-in CloudFormation validator off (it runs in `npm run synth`).
 */
export function synthesize(context: Record<string, unknown> = {}) {
  const built = createApp({
    context: {
      issuer: 'https://idp.example.gov.cn/realms/laowu',
      audience: 'laowu',
      'aws:cdk:bundling-stacks': [],
      ...context,
    },
    builtinCloudFormationValidation: false,
  });
  const template = Template.fromStack(built.stack);
  return { ...built, template };
}

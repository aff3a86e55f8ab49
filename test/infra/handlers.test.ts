import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '#infra/laowu-function';
import { synthesize } from './synth';

interface FunctionResource {
  Metadata: { 'laowu:entry': string };
  Properties: { Handler: string };
}

describe('every deployed function resolves to code', () => {
  let functions: [string, FunctionResource][];
  beforeAll(() => {
    const { template } = synthesize();
    functions = Object.entries(template.findResources('AWS::Lambda::Function')).filter(
      ([, resource]) => resource.Metadata?.['laowu:entry'],
    ) as [string, FunctionResource][];
  });

  it('finds the project functions in the template', () => {
    expect(functions.map(([, fn]) => fn.Metadata['laowu:entry']).sort()).toEqual(
      expect.arrayContaining(['functions/evidence-intake/handler.ts', 'functions/tasks-api/handler.ts']),
    );
  });

  it('exports the handler the template names from each entry', async () => {
    for (const [logicalId, fn] of functions) {
      const exportName = fn.Properties.Handler.split('.').at(-1) ?? '';
      const module = await import(path.join(projectRoot, fn.Metadata['laowu:entry']));
      expect(typeof module[exportName], `${logicalId} → ${fn.Metadata['laowu:entry']}#${exportName}`).toBe(
        'function',
      );
    }
  });
});

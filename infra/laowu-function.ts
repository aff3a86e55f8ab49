import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, type CfnFunction, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** The repository root, resolved from this file, never from the working directory. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every Lambda exports its entry point under this name from `functions/<name>/handler.ts`. */
export const HANDLER_EXPORT = 'handler';

/**
 * Metadata key on each function resource naming its TypeScript entry. The local cloud reads it back
 * from the synthesized template to run the very handler the template deploys.
 */
export const LOCAL_ENTRY_METADATA = 'laowu:entry';

export interface LaowuFunctionProps extends Omit<NodejsFunctionProps, 'entry' | 'handler' | 'runtime'> {
  /** Folder name under `functions/`. */
  readonly functionName: string;
}

/**
 * The project's one Lambda shape: Node 22 on arm64, esbuild bundle with source maps, JSON logs into
 * a log group with a retention, X-Ray tracing. Fixing it here keeps 15 functions from drifting.
 */
export class LaowuFunction extends NodejsFunction {
  readonly entryPath: string;

  constructor(scope: Construct, id: string, props: LaowuFunctionProps) {
    const { functionName, environment, bundling, ...rest } = props;
    const entryPath = `functions/${functionName}/handler.ts`;
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: RetentionDays.SIX_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    super(scope, id, {
      memorySize: 512,
      timeout: Duration.seconds(30),
      ...rest,
      entry: path.join(projectRoot, entryPath),
      handler: HANDLER_EXPORT,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      tracing: Tracing.ACTIVE,
      loggingFormat: LoggingFormat.JSON,
      logGroup,
      projectRoot,
      depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'laowu',
        ...environment,
      },
      bundling: {
        format: OutputFormat.CJS,
        target: 'node22',
        minify: true,
        sourceMap: true,
        // The SDK is bundled so each function runs the SDK version the lock file pins.
        bundleAwsSDK: true,
        ...bundling,
      },
    });
    this.entryPath = entryPath;
    (this.node.defaultChild as CfnFunction).addMetadata(LOCAL_ENTRY_METADATA, entryPath);
  }
}

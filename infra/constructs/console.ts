import fs from 'node:fs';
import path from 'node:path';
import { Annotations, Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, type ISource, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { projectRoot } from '../laowu-function';

export interface ConsoleProps {
  /** The `/v1` API's base URL (a deploy-time value). */
  readonly apiUrl: string;
  /** Where the browser posts evidence (the evidence bucket's regional domain), for the CSP. */
  readonly uploadOrigin: string;
  /** The OIDC provider people sign in with (the one the API's JWT authorizer trusts). */
  readonly issuer: string;
  /** The console's public OIDC client (authorization code with PKCE, no secret). */
  readonly clientId: string;
  /** The round the console opens on. */
  readonly roundId: string;
  /** The built console (`npm run build:web`); default `web/dist`. */
  readonly webDist?: string;
}

/**
 * The web console as a static site: a private S3 bucket read only by CloudFront through origin
 * access control, security headers on every answer, access logs. What the built files cannot know
 * (the API URL, the sign-in provider) is written beside them at deploy time as `config.json`, so one
 * build serves every stage and partition.
 */
export class Console extends Construct {
  readonly bucket: Bucket;
  readonly logs: Bucket;
  readonly distribution: Distribution;
  readonly deployment: BucketDeployment;

  constructor(scope: Construct, id: string, props: ConsoleProps) {
    super(scope, id);

    this.logs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logging writes with an ACL: the log bucket alone keeps ACLs on.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(400) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // SSE-S3: origin access control reads it without a KMS key policy; the files are public anyway.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logs,
      serverAccessLogsPrefix: 'site/',
      // Rebuilt from the repository on every deployment; nothing in it is data.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Laowu console: CSP limited to the API, the evidence bucket and the sign-in provider',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            `connect-src 'self' ${props.apiUrl} https://${props.uploadOrigin} ${props.issuer}`,
            `form-action 'self' ${props.issuer}`,
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "object-src 'none'",
          ].join('; '),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.SAME_ORIGIN, override: true },
      },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Laowu web console',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      priceClass: PriceClass.PRICE_CLASS_ALL,
      enableLogging: true,
      logBucket: this.logs,
      logFilePrefix: 'cloudfront/',
    });

    this.deployment = new BucketDeployment(this, 'Files', {
      sources: [
        consoleFiles(this, props.webDist ?? path.join(projectRoot, 'web', 'dist')),
        Source.jsonData('config.json', {
          apiUrl: props.apiUrl,
          roundId: props.roundId,
          auth: { mode: 'oidc', issuer: props.issuer, clientId: props.clientId, scope: 'openid profile' },
        }),
      ],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      // Assets are fingerprinted; only the two files with fixed names must be fetched anew.
      distributionPaths: ['/index.html', '/config.json'],
      memoryLimit: 512,
    });
  }

  /** The console's address. */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}/`;
  }
}

/**
 * The built console. `npm run synth` builds it first; a synth without a build (template tests, the
 * local runtime, which serves web/dist itself) gets a page saying so, and a warning.
 */
function consoleFiles(scope: Construct, dist: string): ISource {
  if (fs.existsSync(path.join(dist, 'index.html'))) return Source.asset(dist);
  Annotations.of(scope).addWarningV2(
    'laowu:console-not-built',
    `${dist} has no build: run \`npm run build:web\` before deploying`,
  );
  return Source.data(
    'index.html',
    '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>控制台尚未构建</title><p>控制台尚未构建，请运行 npm run build:web 后重新部署。</p></html>',
  );
}

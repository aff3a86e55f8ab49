import { Capture, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesize } from './synth';

let built: ReturnType<typeof synthesize>;
const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  built.stack.getLogicalId(construct.node.defaultChild as Parameters<typeof built.stack.getLogicalId>[0]);

beforeAll(() => {
  built = synthesize({ consoleClientId: 'laowu-console-test' });
});

describe('the web console as a static site', () => {
  it('keeps its files in a private, encrypted, TLS-only bucket with access logs', () => {
    built.template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: logicalId(built.stack.console.logs) },
        LogFilePrefix: 'site/',
      },
    });
    built.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(built.stack.console.bucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('is read by CloudFront only, through origin access control scoped to its own distribution', () => {
    built.template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
      }),
    });
    built.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(built.stack.console.bucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: {
              StringEquals: {
                'AWS:SourceArn': Match.objectLike({
                  'Fn::Join': Match.arrayWith([Match.arrayWith([{ Ref: 'AWS::Partition' }])]),
                }),
              },
            },
          }),
        ]),
      },
    });
  });

  it('serves index.html over HTTPS with security headers and logs requests', () => {
    built.template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          ResponseHeadersPolicyId: { Ref: Match.stringLikeRegexp('^ConsoleSecurityHeaders') },
        }),
        Origins: [
          Match.objectLike({ OriginAccessControlId: Match.anyValue(), S3OriginConfig: Match.anyValue() }),
        ],
        Logging: Match.objectLike({ Prefix: 'cloudfront/' }),
      }),
    });
    const csp = new Capture();
    built.template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: { ContentSecurityPolicy: csp, Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          StrictTransportSecurity: Match.objectLike({ Override: true }),
        }),
      }),
    });
    // The API and the evidence bucket are deploy-time values: the CSP names them through references.
    const policy = JSON.stringify(csp.asObject());
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).toContain(logicalId(built.stack.storage.evidence));
    expect(policy).toContain('https://idp.example.gov.cn/realms/laowu');
  });

  it('writes config.json with the API URL and the OIDC client at deploy time, next to the built files', () => {
    const markers = new Capture();
    const keys = new Capture();
    built.template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: logicalId(built.stack.console.bucket) },
      DistributionPaths: ['/index.html', '/config.json'],
      SourceObjectKeys: keys,
      SourceMarkers: markers,
    });
    // Two sources: the built files and the generated config.json.
    expect(keys.asArray()).toHaveLength(2);
    const marked = JSON.stringify(markers.asArray());
    // The API's URL is a token resolved by the deployment, not a string known at build time.
    expect(marked).toContain(logicalId(built.stack.api.httpApi));
  });

  it('prints the console URL and names no partition', () => {
    built.template.hasOutput('ConsoleUrl', {
      Value: {
        'Fn::Join': [
          '',
          ['https://', { 'Fn::GetAtt': [Match.stringLikeRegexp('^ConsoleDistribution'), 'DomainName'] }, '/'],
        ],
      },
    });
    expect(JSON.stringify(built.template.toJSON())).not.toMatch(/arn:aws(-cn)?:/);
  });
});

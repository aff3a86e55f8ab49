import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeProtectedHeader, generateKeyPair, importJWK, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLocalIssuer, type LocalIssuer } from '#local/issuer';

// The local API verifies tokens as the deployed JWT authorizer does: signature, issuer, audience,
// expiry. These are the forgeries an authorizer must refuse (reliability matrix #23).
const ISSUER = 'https://idp.example.gov.cn/realms/laowu';
const AUDIENCE = 'laowu';
let issuer: LocalIssuer;

beforeAll(async () => {
  const keyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'laowu-issuer-')), 'key.json');
  issuer = await createLocalIssuer({ issuer: ISSUER, audience: [AUDIENCE], keyFile });
});

const unsigned = (claims: Record<string, unknown>) => {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
};

describe('the local issuer verifies as the JWT authorizer does', () => {
  it('accepts its own token and hands on the claims as strings', async () => {
    const token = await issuer.sign({ role: 'county', county: '141024', sub: 'clerk-1' });
    expect(await issuer.verify(token)).toMatchObject({
      sub: 'clerk-1',
      role: 'county',
      county: '141024',
      iss: ISSUER,
      aud: AUDIENCE,
    });
  });

  it('refuses a token with alg none', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(
      await issuer.verify(unsigned({ sub: 'x', role: 'city', iss: ISSUER, aud: AUDIENCE, exp: now + 600 })),
    ).toBeUndefined();
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const [header, , signature] = (await issuer.sign({ role: 'county', county: '141024' })).split('.');
    const forged = Buffer.from(
      JSON.stringify({ role: 'city', iss: ISSUER, aud: AUDIENCE, exp: 9_999_999_999 }),
    ).toString('base64url');
    expect(await issuer.verify(`${header}.${forged}.${signature}`)).toBeUndefined();
  });

  it('refuses a token signed by another key, a wrong issuer, a wrong audience or an expired one', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const now = Math.floor(Date.now() / 1000);
    const sign = (claims: { iss: string; aud: string; exp: number }) =>
      new SignJWT({ role: 'city' })
        .setProtectedHeader({ alg: 'RS256', kid: 'laowu-local-1' })
        .setSubject('x')
        .setIssuer(claims.iss)
        .setAudience(claims.aud)
        .setExpirationTime(claims.exp)
        .sign(privateKey);
    expect(await issuer.verify(await sign({ iss: ISSUER, aud: AUDIENCE, exp: now + 600 }))).toBeUndefined();

    // The issuer's own key, with the wrong claims: sign through a second issuer sharing the key file.
    const keyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'laowu-issuer-')), 'key.json');
    const twin = await createLocalIssuer({ issuer: ISSUER, audience: [AUDIENCE], keyFile });
    const strangerIssuer = await createLocalIssuer({
      issuer: 'https://elsewhere.example',
      audience: [AUDIENCE],
      keyFile,
    });
    const strangerAudience = await createLocalIssuer({ issuer: ISSUER, audience: ['someone-else'], keyFile });
    expect(await twin.verify(await strangerIssuer.sign({ role: 'city' }))).toBeUndefined();
    expect(await twin.verify(await strangerAudience.sign({ role: 'city' }))).toBeUndefined();
    expect(await twin.verify(await twin.sign({ role: 'city' }))).toBeDefined();
  });

  it('refuses an expired token', async () => {
    const keyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'laowu-issuer-')), 'key.json');
    const local = await createLocalIssuer({ issuer: ISSUER, audience: [AUDIENCE], keyFile });
    const keys = JSON.parse(fs.readFileSync(keyFile, 'utf8'));
    const { importJWK } = await import('jose');
    const privateKey = await importJWK(keys.privateJwk, 'RS256');
    const past = Math.floor(Date.now() / 1000) - 3600;
    const expired = await new SignJWT({ role: 'city' })
      .setProtectedHeader({ alg: 'RS256', kid: 'laowu-local-1' })
      .setSubject('x')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(past - 60)
      .setExpirationTime(past)
      .sign(privateKey);
    expect(await local.verify(expired)).toBeUndefined();
  });
});

describe('the local issuer selects the verification key by kid, as API Gateway does', () => {
  let keyFile: string;
  let keyed: LocalIssuer;
  beforeAll(async () => {
    keyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'laowu-issuer-kid-')), 'key.json');
    keyed = await createLocalIssuer({ issuer: ISSUER, audience: [AUDIENCE], keyFile });
  });
  const signWithIssuerKey = async (header: { alg: string; kid?: string }) => {
    const { privateJwk } = JSON.parse(fs.readFileSync(keyFile, 'utf8'));
    const key = await importJWK(privateJwk, 'RS256');
    return new SignJWT({ role: 'city' })
      .setProtectedHeader(header)
      .setSubject('city-user')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(key);
  };

  it('puts a kid in its tokens that its published JWKS lists', async () => {
    const { kid } = decodeProtectedHeader(await keyed.sign({ role: 'city' }));
    expect(kid).toBeTruthy();
    expect(keyed.jwks().keys.map((key) => key.kid)).toEqual([kid]);
  });

  it('accepts a token signed by the right key under the published kid', async () => {
    const kid = keyed.jwks().keys[0]?.kid;
    expect(await keyed.verify(await signWithIssuerKey({ alg: 'RS256', kid }))).toMatchObject({
      role: 'city',
    });
  });

  it('refuses a token whose kid the JWKS does not list, though the signature is by the right key', async () => {
    expect(
      await keyed.verify(await signWithIssuerKey({ alg: 'RS256', kid: 'rotated-away' })),
    ).toBeUndefined();
  });

  it('refuses a token with no kid', async () => {
    expect(await keyed.verify(await signWithIssuerKey({ alg: 'RS256' }))).toBeUndefined();
  });
});

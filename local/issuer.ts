import fs from 'node:fs';
import path from 'node:path';
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import { z } from 'zod';
import { ROLES } from '#shared/http/principal';

/**
 * The development identity provider: signs the same kind of JWT a real OIDC provider issues, with
 * the issuer and audience the template's authorizer expects, and verifies them as the authorizer
 * does (signature, `iss`, `aud`, `exp`, `nbf`). Its key is kept in the data folder.
 */
export const tokenRequestSchema = z
  .strictObject({
    role: z.enum(ROLES),
    sub: z.string().min(1).max(128).optional(),
    org: z.string().min(1).max(32).optional(),
    county: z
      .string()
      .regex(/^\d{6}$/)
      .optional(),
  })
  .refine((r) => r.role !== 'applicant' || r.org, {
    message: 'an applicant token needs org (its credit code)',
    path: ['org'],
  })
  .refine((r) => r.role !== 'county' || r.county, {
    message: 'a county token needs county (its county code)',
    path: ['county'],
  });

export type TokenRequest = z.infer<typeof tokenRequestSchema>;

const ALG = 'RS256';
const KID = 'laowu-local-1';

export interface LocalIssuer {
  issuer: string;
  audience: readonly string[];
  jwks(): { keys: JWK[] };
  sign(request: TokenRequest): Promise<string>;
  /** The verified claims as API Gateway passes them on (string values), or `undefined` if invalid. */
  verify(token: string): Promise<Record<string, string> | undefined>;
}

export async function createLocalIssuer(options: {
  issuer: string;
  audience: readonly string[];
  keyFile: string;
}): Promise<LocalIssuer> {
  const { privateJwk, publicJwk } = await loadOrCreateKeys(options.keyFile);
  const privateKey = await importJWK(privateJwk, ALG);
  const jwks = { keys: [{ ...publicJwk, kid: KID, alg: ALG, use: 'sig' }] };
  // The authorizer picks the verification key from the issuer's JWKS by the token's `kid`; a
  // token with no `kid`, or one the JWKS does not list, is refused even if some key would verify it.
  const keySet = createLocalJWKSet(jwks);
  return {
    issuer: options.issuer,
    audience: options.audience,
    jwks: () => jwks,
    async sign(request) {
      const sub =
        request.sub ?? (request.role === 'applicant' ? `unit-${request.org}` : `${request.role}-user`);
      const claims: JWTPayload = {
        role: request.role,
        ...(request.org ? { org: request.org } : {}),
        ...(request.county ? { county: request.county } : {}),
      };
      return new SignJWT(claims)
        .setProtectedHeader({ alg: ALG, kid: KID, typ: 'JWT' })
        .setSubject(sub)
        .setIssuer(options.issuer)
        .setAudience(options.audience[0] ?? '')
        .setIssuedAt()
        .setExpirationTime('12h')
        .sign(privateKey);
    },
    async verify(token) {
      try {
        const { kid } = decodeProtectedHeader(token);
        if (!kid || !jwks.keys.some((key) => key.kid === kid)) return undefined;
        const { payload } = await jwtVerify(token, keySet, {
          issuer: options.issuer,
          audience: [...options.audience],
          algorithms: [ALG],
        });
        return stringifyClaims(payload);
      } catch {
        return undefined;
      }
    },
  };
}

/** API Gateway hands claims to the function as strings; arrays become `[a b]`. */
function stringifyClaims(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([key, value]) => [
      key,
      Array.isArray(value)
        ? `[${value.join(' ')}]`
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value),
    ]),
  );
}

async function loadOrCreateKeys(file: string): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8'));
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const keys = { privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  return keys;
}

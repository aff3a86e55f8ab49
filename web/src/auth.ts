import { useSyncExternalStore } from 'react';
import { api, config, type Role, setTokenSource } from './api';

/**
 * Who is signed in. The session holds the caller's own JWT (never a workflow task token: those stay
 * on the server) and the claims the API reads from it. Kept in sessionStorage: closing the tab signs
 * out, and another tab signs in on its own.
 */
export interface Session {
  token: string;
  role: Role;
  sub: string;
  org?: string;
  county?: string;
  /** Seconds since the epoch. */
  exp?: number;
}

const KEY = 'laowu.session';
const ROLES: readonly Role[] = ['applicant', 'county', 'city', 'expert', 'province'];
const listeners = new Set<() => void>();
let current: Session | undefined = read();

function read(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return undefined;
    const session = sessionFromToken(JSON.parse(raw).token);
    return session && !expired(session) ? session : undefined;
  } catch {
    return undefined;
  }
}

function expired(session: Session): boolean {
  return session.exp !== undefined && session.exp * 1000 < Date.now();
}

/** The claims of a JWT, read without verifying it: the API verifies; the page only needs to know who. */
export function sessionFromToken(token: unknown): Session | undefined {
  if (typeof token !== 'string') return undefined;
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = new TextDecoder().decode(
      Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)),
    );
    const claims: Record<string, unknown> = JSON.parse(json);
    const role = ROLES.find((r) => r === claims.role);
    if (!role || typeof claims.sub !== 'string') return undefined;
    return {
      token,
      role,
      sub: claims.sub,
      ...(typeof claims.org === 'string' ? { org: claims.org } : {}),
      ...(typeof claims.county === 'string' ? { county: claims.county } : {}),
      ...(typeof claims.exp === 'number' ? { exp: claims.exp } : {}),
    };
  } catch {
    return undefined;
  }
}

function set(session: Session | undefined): void {
  current = session;
  if (session) sessionStorage.setItem(KEY, JSON.stringify({ token: session.token }));
  else sessionStorage.removeItem(KEY);
  for (const listener of listeners) listener();
}

export function signOut(): void {
  set(undefined);
}

setTokenSource(
  () => (current && !expired(current) ? current.token : undefined),
  () => set(undefined),
);

export function useSession(): Session | undefined {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
}

/** Local runtime only: a token from the development issuer (`POST /local/token`). */
export async function signInLocally(request: {
  role: Role;
  sub?: string;
  org?: string;
  county?: string;
}): Promise<Session> {
  const { token } = await api<{ token: string }>('POST', '/local/token', { body: request, anonymous: true });
  const session = sessionFromToken(token);
  if (!session) throw new Error('签发的身份凭证无法识别');
  set(session);
  return session;
}

// ---------------------------------------------------------------------------------------------
// Deployed: the OIDC provider's login (authorization code flow with PKCE, no client secret).

const PKCE_KEY = 'laowu.oidc';

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
}

async function discover(issuer: string): Promise<Discovery> {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error('无法连接统一身份认证服务');
  return response.json();
}

function randomString(bytes: number): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function redirectUri(): string {
  return `${location.origin}${location.pathname}`;
}

/** Sends the browser to the provider's login page. */
export async function startOidcSignIn(): Promise<void> {
  const auth = config().auth;
  if (auth.mode !== 'oidc') throw new Error('not configured for OIDC');
  const endpoints = await discover(auth.issuer);
  const verifier = randomString(32);
  const state = randomString(16);
  const challenge = base64Url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
  );
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state }));
  const url = new URL(endpoints.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: auth.clientId,
    redirect_uri: redirectUri(),
    scope: auth.scope,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/** On return from the provider (`?code=…&state=…`): exchanges the code for the access token. */
export async function completeOidcSignIn(): Promise<boolean> {
  const auth = config().auth;
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (auth.mode !== 'oidc' || !code) return false;
  const saved = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? '{}') as { verifier?: string; state?: string };
  sessionStorage.removeItem(PKCE_KEY);
  history.replaceState(null, '', `${location.pathname}${location.hash}`);
  if (!saved.verifier || saved.state !== params.get('state')) throw new Error('登录状态校验失败，请重新登录');
  const endpoints = await discover(auth.issuer);
  const response = await fetch(endpoints.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri(),
      client_id: auth.clientId,
      code_verifier: saved.verifier,
    }),
  });
  if (!response.ok) throw new Error('登录失败，请重新登录');
  const tokens = (await response.json()) as { access_token?: string; id_token?: string };
  const session = sessionFromToken(tokens.access_token) ?? sessionFromToken(tokens.id_token);
  if (!session) throw new Error('身份凭证中缺少角色信息，请联系管理员');
  set(session);
  return true;
}

import { z } from 'zod';

/**
 * The console talks to the `/v1` API of API.md and to nothing else (locally also `/local/token`).
 * Where the API lives and how people sign in is read once from `config.json`, which `npm start`
 * serves and the CDK deployment writes next to the built files: the build itself names no URL.
 */
const configSchema = z.object({
  /** Base URL of the API (a trailing slash is dropped); empty for the same origin (local). */
  apiUrl: z
    .string()
    .regex(/^(https?:\/\/\S+)?$/)
    .transform((url) => url.replace(/\/+$/, '')),
  roundId: z.string().regex(/^\d{4}(?:-[a-z0-9]+)?$/),
  auth: z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('local') }),
    z.object({
      mode: z.literal('oidc'),
      issuer: z.url(),
      clientId: z.string().min(1),
      scope: z.string().default('openid profile'),
    }),
  ]),
});
export type ConsoleConfig = z.infer<typeof configSchema>;

let loaded: ConsoleConfig | undefined;

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch('./config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`无法读取控制台配置（config.json，HTTP ${response.status}）`);
  const parsed = configSchema.safeParse(await response.json());
  if (!parsed.success) throw new Error('控制台配置（config.json）格式不正确');
  loaded = parsed.data;
  return loaded;
}

export function config(): ConsoleConfig {
  if (!loaded) throw new Error('config.json has not been loaded');
  return loaded;
}

export interface ErrorDetail {
  path: string;
  code: string;
  message: string;
}

/** An answer of the API other than 2xx, with its `{ error: { code, message, details } }` body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).optional(),
  }),
});

const GATEWAY_MESSAGES: Record<number, string> = {
  401: '登录已失效，请重新登录',
  403: '没有权限执行此操作',
  404: '没有找到',
  429: '请求过于频繁，请稍后再试',
};

let tokenSource: () => string | undefined = () => undefined;
let onUnauthorized: () => void = () => undefined;

/** The session module tells the client where the token is and what to do when it is refused. */
export function setTokenSource(source: () => string | undefined, unauthorized: () => void): void {
  tokenSource = source;
  onUnauthorized = unauthorized;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Public routes send no token even when someone is signed in. */
  anonymous?: boolean;
}

/**
 * One call of the API. The body is the contract of API.md: the client trusts its shape the way a
 * typed SDK would, and every non-2xx answer becomes an ApiError with the server's Chinese message.
 */
export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const token = options.anonymous ? undefined : tokenSource();
  let response: Response;
  try {
    response = await fetch(`${config().apiUrl}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...options.headers,
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  }
  const text = await response.text();
  const json: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    if (response.status === 401 && token) onUnauthorized();
    const parsed = errorBodySchema.safeParse(json);
    if (parsed.success) {
      const { code, message, details } = parsed.data.error;
      throw new ApiError(response.status, code, message, details ?? []);
    }
    throw new ApiError(
      response.status,
      `HTTP_${response.status}`,
      GATEWAY_MESSAGES[response.status] ?? `服务器暂时无法处理（${response.status}）`,
    );
  }
  return json as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A file the API serves (CSV, DOCX), fetched with the token and handed to the browser to save. */
export async function download(path: string, fileName: string, accept: string): Promise<void> {
  const token = tokenSource();
  const response = await fetch(`${config().apiUrl}${path}`, {
    headers: { accept, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  if (!response.ok) throw new ApiError(response.status, `HTTP_${response.status}`, '下载失败');
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Posts a file to a presigned POST (`fields` first, then `file`, as S3 requires), reporting progress.
 * XMLHttpRequest, because fetch cannot report upload progress.
 */
export function postToPresignedUrl(
  upload: { url: string; fields: Record<string, string> },
  file: File,
  onProgress: (fraction: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [key, value] of Object.entries(upload.fields)) form.append(key, value);
    form.append('file', file, file.name);
    const request = new XMLHttpRequest();
    request.open('POST', upload.url);
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    request.addEventListener('load', () => {
      if (request.status >= 200 && request.status < 300) {
        onProgress(1);
        resolve();
      } else reject(new ApiError(request.status, 'UPLOAD_FAILED', `文件上传失败（${request.status}）`));
    });
    request.addEventListener('error', () =>
      reject(new ApiError(0, 'UPLOAD_FAILED', '文件上传失败：无法连接存储服务')),
    );
    request.send(form);
  });
}

// ---------------------------------------------------------------------------------------------
// The shapes of API.md the console reads.

export type Kind = 'brand' | 'base';
export type Role = 'applicant' | 'county' | 'city' | 'expert' | 'province';

export interface County {
  code: string;
  name: string;
  terrain: 'plain' | 'mountain';
}
export interface ChecklistSlot {
  slot: string;
  title: string;
  required: boolean;
  accepts: string[];
  maxBytes: number;
}
export interface Criterion {
  criterionId: string;
  title: string;
  max: number;
}
export interface RoundView {
  roundId: string;
  title: string;
  kinds: Kind[];
  thresholds: {
    brand: { trainedMin: number; employmentRateMin: number; outputMin: number };
    base: { transferredMin: number; transferredSince: string };
  };
  deadline: string;
  publicityWorkingDays: number;
  counties: County[];
  formYears: Record<Kind, number[]>;
  checklist: Record<Kind, ChecklistSlot[]>;
  rubric: Record<Kind, Criterion[]>;
  panel: string[];
}

export interface Evidence {
  evidenceId: string;
  slot: string;
  fileName: string;
  status: 'PENDING' | 'ACCEPTED' | 'REJECTED';
  reason?: string;
  reasonCode?: string;
  size?: number;
  supersededBy?: string;
  progress?: { rowsRead: number; percent?: number; at: string };
}

export interface RosterStats {
  rows?: number;
  validRows?: number;
  invalidRows?: number;
  duplicateRows?: number;
  distinctPersons?: number;
  trainedInYear?: number;
  employedOfTrained?: number;
  employmentRate?: number;
  outputInYear?: number;
  transferredSinceStart?: number;
  errors?: { row: number; column?: string; code: string; message: string }[];
  errorReport?: { bytes?: number; issues?: number } | null;
  crossCase?: unknown;
}

export interface TimelineEntry {
  at: string;
  status: string;
  from?: string;
  actor: string;
  role?: string;
  action?: string;
  note?: string;
}

export interface CaseView {
  caseId: string;
  roundId: string;
  kind: Kind;
  route: 'county' | 'direct';
  countyCode: string | null;
  status: string;
  version: number;
  form: Record<string, unknown>;
  evidence: Evidence[];
  rosters: Record<string, RosterStats>;
  lastCheck: { at: string; verdict: string; defects: ErrorDetail[] } | null;
  supplementRequest: { requestedAt: string; dueAt: string } | null;
  timeline: TimelineEntry[];
}

export interface TaskItem {
  taskId: string;
  caseId: string;
  type: string;
  createdAt: string;
  dueAt: string;
  overdue: boolean;
}

export interface TaskDetail extends TaskItem {
  state: string;
  decisions: ('approve' | 'return' | 'reject')[];
  rubric?: Criterion[];
  objections?: {
    objectionId: string;
    reason: string;
    phoneMasked: string;
    receivedAt: string;
    state: string;
  }[];
  case: {
    caseId: string;
    kind: Kind;
    route: 'county' | 'direct';
    countyName: string | null;
    status: string;
    form: Record<string, unknown>;
    evidence: { evidenceId: string; slot: string; fileName: string }[];
    rosters: Record<string, Record<string, number>>;
  };
}

export interface RankingItem {
  caseId: string;
  kind: Kind;
  name: string;
  ownerUnit: string;
  countyName: string | null;
  pairing: 'key-assistance' | 'poverty-alleviated' | 'none';
  total: number | null;
  mean: number | null;
  trimmedMean: number | null;
  experts: number;
  spread: number;
  spreadFlagged: boolean;
  onsiteTotal: number | null;
  rank: number;
}

export interface Publicity {
  publicityStartsAt: string;
  publicityEndsAt: string;
  open?: boolean;
  items: { caseId: string; kind: Kind; name: string; ownerUnit: string; countyName: string | null }[];
}

export interface Dashboard {
  byStatus: Record<string, number>;
  counties: {
    code: string;
    name: string;
    terrain: 'plain' | 'mountain';
    recommended: number;
    floor: number;
    target: number;
    meetsFloor: boolean;
    meetsTarget?: boolean;
  }[];
  shortfalls?: string[];
  warnings?: string[];
}

export interface Certificate {
  revokedAt?: string;
  certificateNo: string;
  kind: Kind;
  name: string;
  ownerUnit: string;
  roundId: string;
  certifiedAt: string;
  valid: boolean;
}

let roundCache: Promise<RoundView> | undefined;

/** The current round (public, cached for the page's life). */
export function currentRound(): Promise<RoundView> {
  roundCache ??= api<RoundView>('GET', `/v1/rounds/${encodeURIComponent(config().roundId)}`, {
    anonymous: true,
  }).catch((error: unknown) => {
    roundCache = undefined;
    throw error;
  });
  return roundCache;
}

import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '#local/cloud';
import { qrMatrix } from '#shared/certificates/document';
import { verificationUrl } from '#shared/certificates/keys';
import { FEED_COLUMNS, type FeedItem } from '#shared/feed/schema';
import { apiClient, eventually, startTestCloud } from '../../support/local-cloud';
import {
  brandForm,
  COUNTY,
  completeBrandCase,
  postUpload,
  residentId,
  tokens,
  UNIT_CREDIT_CODE,
} from '../cloud/fixtures';
import {
  type Api,
  completeDirectBase,
  reviewTokens,
  scoresFor,
  statusBecomes,
  taskFor,
} from '../workflow/support';

const PANEL = ['expert-01', 'expert-02', 'expert-03'];
/** A brand whose name a spreadsheet would run as a formula: the form accepts it, the exports must not. */
const FORMULA_NAME = '=HYPERLINK("http://evil.example/","洪洞护工")';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** A GET whose body may be anything: status, headers and the raw bytes. */
async function get(cloud: LocalCloud, path: string, token?: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${cloud.url}${path}`, {
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  const isJson = (response.headers.get('content-type') ?? '').startsWith('application/json');
  return {
    status: response.status,
    headers: response.headers,
    bytes,
    json: isJson && bytes.length > 0 ? JSON.parse(bytes.toString('utf8')) : undefined,
  };
}

/** The demo flow from submission to certification and the province decision, for the cases given. */
async function certifyAll(
  api: Api,
  staff: Awaited<ReturnType<typeof reviewTokens>>,
  applicant: string,
  cases: { brand: string; base: string },
) {
  for (const caseId of [cases.brand, cases.base]) {
    const submitted = await api('POST', `/v1/cases/${caseId}/submit`, { token: applicant });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
  }
  const county = await taskFor(api, staff.county, cases.brand, 'county-review');
  await api('POST', `/v1/tasks/${county.taskId}/complete`, {
    token: staff.county,
    body: { decision: 'approve', opinion: '材料真实，同意推荐' },
  });
  for (const [caseId, kind] of [
    [cases.brand, 'brand'],
    [cases.base, 'base'],
  ] as const) {
    const onsite = await taskFor(api, staff.city, caseId, 'onsite-evaluation');
    const scored = await api('POST', `/v1/tasks/${onsite.taskId}/complete`, {
      token: staff.city,
      body: { decision: 'approve', opinion: '现场核实，情况属实', scores: scoresFor(kind, 0.9) },
    });
    expect(scored.status, JSON.stringify(scored.body)).toBe(200);
    for (const expertId of PANEL) {
      const token = staff.experts[expertId] as string;
      const review = await taskFor(api, token, caseId, 'expert-review');
      const done = await api('POST', `/v1/tasks/${review.taskId}/complete`, {
        token,
        body: { decision: 'approve', opinion: `${expertId}：特色鲜明，同意`, scores: scoresFor(kind, 0.85) },
      });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
    }
    await statusBecomes(api, staff.city, caseId, 'AWAITING_SELECTION');
  }
  const selection = await api('POST', '/v1/rounds/2021/selection', {
    token: staff.city,
    body: { caseIds: [cases.brand, cases.base] },
  });
  expect(selection.status, JSON.stringify(selection.body)).toBe(200);
  await statusBecomes(api, staff.city, cases.brand, 'PUBLICITY');
  // Publicity ends with no objection: both are certified.
  await api('POST', '/local/clock', { body: { now: '2021-12-11T00:00:01+08:00' } });
  for (const [caseId, decision] of [
    [cases.brand, 'approve'],
    [cases.base, 'reject'],
  ] as const) {
    await statusBecomes(api, staff.city, caseId, 'CERTIFIED');
    const province = await taskFor(api, staff.city, caseId, 'province-recommendation');
    const decided = await api('POST', `/v1/tasks/${province.taskId}/complete`, {
      token: staff.city,
      body: { decision, opinion: decision === 'approve' ? '推荐申报省级' : '暂不推荐' },
    });
    expect(decided.status).toBe(200);
  }
}

describe('the province feed, certificates and documents after the demo flow', () => {
  let cloud: LocalCloud & { dataDir: string };
  let api: Api;
  let who: Awaited<ReturnType<typeof tokens>>;
  let staff: Awaited<ReturnType<typeof reviewTokens>>;
  let province: string;
  let expert: string;
  let otherUnit: string;
  let s3: S3Client;
  let bucket: string;
  const cases = { brand: '', base: '', draft: '' };
  const certificates: Record<string, string> = {};

  beforeAll(async () => {
    cloud = await startTestCloud();
    api = apiClient(cloud.url);
    await api('POST', '/local/clock', { body: { now: '2021-12-01T09:00:00+08:00' } });
    who = await tokens(cloud);
    staff = await reviewTokens(cloud, PANEL);
    const token = async (body: Record<string, string>) =>
      (await api('POST', '/local/token', { body })).body.token as string;
    province = await token({ role: 'province', sub: 'shanxi-hrss' });
    expert = staff.experts['expert-01'] as string;
    otherUnit = await token({ role: 'applicant', org: '91141002MA0K9999X1' });
    s3 = new S3Client({
      endpoint: cloud.endpoints.s3,
      region: cloud.topology.region,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    bucket = Object.values(cloud.topology.buckets).find((b) => b.notifications.length > 0)?.name ?? '';

    // A county brand renamed to a formula (the form takes it), and a direct base.
    cases.brand = await completeBrandCase(cloud, who.applicant);
    const current = await api('GET', `/v1/cases/${cases.brand}`, { token: who.applicant });
    const renamed = await api('PUT', `/v1/cases/${cases.brand}/form`, {
      token: who.applicant,
      headers: { 'if-match': current.headers.get('etag') ?? '' },
      body: { form: { ...brandForm, name: FORMULA_NAME } },
    });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    cases.base = await completeDirectBase(cloud, who.applicant);

    // A draft whose training roster has a defect: it has an error report, and is never certified.
    const draft = await api('POST', '/v1/cases', {
      token: who.applicant,
      body: { roundId: '2021', kind: 'brand', route: 'county', countyCode: COUNTY, form: brandForm },
    });
    cases.draft = draft.body.caseId;
    const roster = Buffer.from(
      `姓名,身份证号码,结业日期,就业单位,就业日期\n${[1, 2, 3]
        .map((i) => `学员${i},${residentId(90_000 + i)},2021-06-30,临汾护理院,2021-07-01`)
        .join('\n')}\n学员4,141024199913320000,2021-06-30,临汾护理院,2021-07-01\n`,
    );
    const slot = await api('POST', `/v1/cases/${cases.draft}/uploads`, {
      token: who.applicant,
      body: {
        slot: 'training-roster',
        fileName: '培训花名册.csv',
        contentType: 'text/csv',
        size: roster.length,
      },
    });
    await postUpload(slot.body, roster, '培训花名册.csv');

    await certifyAll(api, staff, who.applicant, cases);
    for (const caseId of [cases.brand, cases.base]) {
      const view = await statusBecomes(api, staff.city, caseId, 'CERTIFIED');
      const timeline = view.timeline as { status: string; note?: string }[];
      certificates[caseId] =
        timeline.find((e) => e.status === 'CERTIFIED' && e.note?.startsWith('LF-'))?.note ?? '';
    }
    // Both province decisions are in the feed once the workflows have recorded them.
    await eventually(async () => {
      const page = await get(cloud, '/v1/feed/certified?roundId=2021', province);
      return page.json?.items.length === 4 ? true : undefined;
    }, 30_000);
  });
  afterAll(async () => {
    s3?.destroy();
    await cloud?.stop();
  });

  it('lists exactly the certified cases, then the province decisions, in sequence and across pages of one', async () => {
    const items: FeedItem[] = [];
    const cursors = new Set<string>();
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const query = `roundId=2021&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await get(cloud, `/v1/feed/certified?${query}`, province);
      expect(page.status).toBe(200);
      expect(page.json.items.length).toBeLessThanOrEqual(1);
      items.push(...page.json.items);
      cursor = page.json.nextCursor as string;
      cursors.add(cursor);
      if (!page.json.hasMore) break;
    }
    expect(items.map((item) => item.seq)).toEqual([1, 2, 3, 4]);
    expect(cursors.size).toBe(4);
    for (const item of items) expect(Object.keys(item)).toEqual(FEED_COLUMNS);
    const certified = items.filter((item) => item.type === 'certified');
    expect(new Set(certified.map((item) => item.certificateNo))).toEqual(
      new Set([certificates[cases.brand], certificates[cases.base]]),
    );
    expect(
      items.slice(0, 2).every((item) => item.type === 'certified' && item.recommendedToProvince === null),
    ).toBe(true);
    const decisions = Object.fromEntries(
      items
        .filter((item) => item.type === 'province-decision')
        .map((item) => [item.certificateNo, item.recommendedToProvince]),
    );
    expect(decisions).toEqual({
      [certificates[cases.brand] ?? '']: true,
      [certificates[cases.base] ?? '']: false,
    });
    const brand = items.find((item) => item.kind === 'brand');
    expect(brand).toMatchObject({
      name: FORMULA_NAME,
      ownerCreditCode: UNIT_CREDIT_CODE,
      countyCode: COUNTY,
    });
    expect(items.find((item) => item.kind === 'base')?.countyCode).toBeNull();
    // No worker or leader data, no mobile, no ID.
    expect(JSON.stringify(items)).not.toMatch(/张三|李四|1[3-9]\d{9}|\d{17}[\dXx]/);

    // Pulling the last cursor later: nothing new, the same cursor.
    const after = await get(
      cloud,
      `/v1/feed/certified?roundId=2021&cursor=${encodeURIComponent(cursor ?? '')}`,
      province,
    );
    expect(after.json).toMatchObject({ items: [], hasMore: false, nextCursor: cursor });
  });

  it('answers a second pull with the ETag 304, and refuses a forged cursor', async () => {
    const first = await get(cloud, '/v1/feed/certified?roundId=2021', province);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^".+"$/);
    const second = await get(cloud, '/v1/feed/certified?roundId=2021', province, { 'if-none-match': etag });
    expect(second.status).toBe(304);
    expect(second.bytes.length).toBe(0);
    const forged = await get(
      cloud,
      '/v1/feed/certified?roundId=2021&cursor=YzF8MjAyMXwy.AAAAAAAAAAAA',
      province,
    );
    expect(forged.status).toBe(400);
    expect(forged.json.error.code).toBe('INVALID_CURSOR');
  });

  it('serves CSV with a BOM and the formula name neutralised, and XLSX with string cells', async () => {
    const csv = await get(cloud, '/v1/feed/certified?roundId=2021', province, { accept: 'text/csv' });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.bytes.toString('utf8');
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example/"",""洪洞护工"")"`);
    expect(text).not.toMatch(/(^|,)"=/m);
    expect(text.split('\r\n')).toHaveLength(1 + 4 + 1);

    const xlsx = await get(cloud, '/v1/feed/certified?roundId=2021', province, { accept: XLSX });
    expect(xlsx.headers.get('content-type')).toBe(XLSX);
    const sheet = strFromU8(
      unzipSync(new Uint8Array(xlsx.bytes))['xl/worksheets/sheet1.xml'] ?? new Uint8Array(),
    );
    expect(sheet).toContain('=HYPERLINK(&quot;http://evil.example/&quot;');
    expect(sheet).not.toContain('<f>');
    expect(xlsx.headers.get('etag')).not.toBe(csv.headers.get('etag'));
  });

  it('is for the province only: every other role gets 403, no token 401', async () => {
    for (const token of [who.applicant, staff.county, staff.city, expert]) {
      expect((await get(cloud, '/v1/feed/certified?roundId=2021', token)).status).toBe(403);
    }
    expect((await get(cloud, '/v1/feed/certified?roundId=2021')).status).toBe(401);
  });

  it('keeps an export snapshot of the whole feed under exports/2021/ (JSON, CSV, XLSX)', async () => {
    const object = async (key: string) => {
      const result = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(
        await (result.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
      );
    };
    const api = await get(cloud, '/v1/feed/certified?roundId=2021', province);
    const snapshot = await eventually(async () => {
      const json = JSON.parse((await object('exports/2021/certified-feed.json')).toString('utf8'));
      return json.items.length === 4 ? json : undefined;
    });
    expect(snapshot).toEqual({ ...api.json, hasMore: false });
    expect([...(await object('exports/2021/certified-feed.csv')).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const sheet = unzipSync(new Uint8Array(await object('exports/2021/certified-feed.xlsx')));
    expect(Object.keys(sheet)).toContain('xl/worksheets/sheet1.xml');
  });

  it('verifies a real certificate and rejects a forged or malformed one', async () => {
    const number = certificates[cases.brand] ?? '';
    const verified = await get(cloud, `/v1/certificates/${number}`);
    expect(verified.json).toEqual({
      certificateNo: number,
      kind: 'brand',
      name: FORMULA_NAME,
      ownerUnit: brandForm.ownerUnit,
      roundId: '2021',
      certifiedAt: expect.any(String),
      valid: true,
    });
    expect((await get(cloud, '/v1/certificates/LF-2021-PP-999')).status).toBe(404);
    expect((await get(cloud, '/v1/certificates/LF-2021-PP-001%27%20OR%201')).status).toBe(404);
  });

  it('hands the certificate document with the QR code of its verification URL to its owner and staff', async () => {
    const number = certificates[cases.base] ?? '';
    const document = await get(cloud, `/v1/cases/${cases.base}/certificate.svg`, who.applicant);
    expect(document.status).toBe(200);
    expect(document.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const svg = document.bytes.toString('utf8');
    expect(svg).toContain(`证书编号：${number}`);
    const certify = Object.values(cloud.topology.functions).find((fn) => fn.environment.PUBLIC_BASE_URL);
    const url = verificationUrl(certify?.environment.PUBLIC_BASE_URL ?? '', number);
    expect(svg).toContain(url);
    const expected = qrMatrix(url);
    const modules = [...svg.matchAll(/M(\d+) (\d+)h1v1h-1z/g)].length;
    expect(modules).toBe(expected.flat().filter(Boolean).length);
    expect((await get(cloud, `/v1/cases/${cases.base}/certificate.svg`, staff.city)).status).toBe(200);
    expect((await get(cloud, `/v1/cases/${cases.base}/certificate.svg`, otherUnit)).status).toBe(404);
    expect((await get(cloud, `/v1/cases/${cases.draft}/certificate.svg`, who.applicant)).status).toBe(404);
  });

  it('renders 附件1 as DOCX with the name, the counts and the three recorded opinions', async () => {
    const form = await get(cloud, `/v1/cases/${cases.brand}/forms/application.docx`, staff.county);
    expect(form.status).toBe(200);
    expect(form.headers.get('content-type')).toBe(DOCX);
    const disposition = form.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(
      /^attachment; filename="[ -~]+\.docx"; filename\*=UTF-8''[A-Za-z0-9%!#$&+\-.^_`|~]+$/,
    );
    expect(decodeURIComponent(disposition.split("UTF-8''")[1] ?? '')).toMatch(
      /^附件1-=HYPERLINK\(.*洪洞护工.*-申报认定表\.docx$/,
    );
    const xml = strFromU8(unzipSync(new Uint8Array(form.bytes))['word/document.xml'] ?? new Uint8Array());
    for (const expected of [
      '临汾市级劳务品牌申报认定表',
      '=HYPERLINK(&quot;http://evil.example/&quot;,&quot;洪洞护工&quot;)',
      brandForm.ownerUnit,
      '560',
      '350',
      '洪洞县人力资源和社会保障局',
      '材料真实，同意推荐',
      'expert-02：特色鲜明，同意',
      '专家组综合评分',
      `证书编号：${certificates[cases.brand]}`,
      '推荐上报省级：推荐申报省级',
    ]) {
      expect(xml, expected).toContain(expected);
    }
    // The owner prints the same; experts, other counties and other units are told it does not exist.
    expect((await get(cloud, `/v1/cases/${cases.brand}/forms/application.docx`, who.applicant)).status).toBe(
      200,
    );
    expect((await get(cloud, `/v1/cases/${cases.draft}/forms/application.docx`, who.applicant)).status).toBe(
      200,
    );
    for (const token of [expert, staff.otherCounty, otherUnit, province]) {
      expect((await get(cloud, `/v1/cases/${cases.brand}/forms/application.docx`, token)).status).toBe(404);
    }
  });

  it('presigns the roster error report for its owner, and says 404 where there is none', async () => {
    const path = `/v1/cases/${cases.draft}/rosters/training-roster/error-report`;
    const link = await eventually(async () => {
      const response = await get(cloud, path, who.applicant);
      return response.status === 200 ? response.json : undefined;
    }, 30_000);
    expect(link).toEqual({ url: expect.stringMatching(/^http/), expiresAt: expect.any(String) });
    expect(Date.parse(link.expiresAt) - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    const report = Buffer.from(await (await fetch(link.url)).arrayBuffer());
    expect([...report.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(report.toString('utf8')).not.toContain('141024199913320000');
    expect(
      (await get(cloud, `/v1/cases/${cases.brand}/rosters/training-roster/error-report`, staff.city)).status,
    ).toBe(404);
    expect((await get(cloud, path, otherUnit)).status).toBe(404);
    expect((await get(cloud, path, staff.county)).status).toBe(404); // a draft is not the county's yet
  });
});

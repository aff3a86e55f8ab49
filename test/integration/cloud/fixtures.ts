import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { LocalCloud } from '#local/cloud';
import { apiClient, eventually } from '../../support/local-cloud';

export const UNIT_CREDIT_CODE = '91350100M000100Y43';
export const COUNTY = '141024'; // 洪洞县

export const brandForm = {
  name: '洪洞护工',
  ownerUnit: '洪洞县职业培训学校',
  ownerCreditCode: UNIT_CREDIT_CODE,
  address: '山西省临汾市洪洞县大槐树镇',
  leader: '张三',
  officePhone: '0357-6221234',
  mobile: '13812345678',
  trained: { '2020': 420, '2021': 560 },
  output: { '2020': 300, '2021': 350 },
  introduction: '洪洞护工品牌以养老护理培训为核心。',
};

export const baseForm = {
  name: '临汾—长三角劳务协作基地',
  ownerUnit: '洪洞县人力资源服务中心',
  ownerCreditCode: UNIT_CREDIT_CODE,
  address: '山西省临汾市洪洞县',
  leader: '李四',
  officePhone: '0357-6225678',
  mobile: '13912345678',
  output: { '2019': 900, '2020': 1100, '2021': 1300 },
  introduction: '基地组织农村劳动力向长三角有序转移。',
};

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/** A valid GB 11643 ID of Hongtong county: birth date and sequence from `n`, check character computed. */
export function residentId(n: number): string {
  const birth = new Date(Date.UTC(1970, 0, 1) + (n % 10_000) * 86_400_000).toISOString().slice(0, 10);
  const body = `141024${birth.replaceAll('-', '')}${String(Math.floor(n / 10_000) % 1000).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((total, digit, i) => total + Number(digit) * (weights[i] ?? 0), 0);
  return body + '10X98765432'.charAt(sum % 11);
}

/** Rosters that bear out the form's 2021 numbers exactly (560 trained and employed, 350 output). */
const TRAINING_CSV = Buffer.from(
  `姓名,身份证号码,结业日期,就业单位,就业日期\n${Array.from(
    { length: brandForm.trained['2021'] },
    (_, i) => `学员${i},${residentId(i)},2021-06-30,临汾护理院,2021-07-01\n`,
  ).join('')}`,
);
const OUTPUT_CSV = Buffer.from(
  `姓名,身份证号码,输出日期,就业单位\n${Array.from(
    { length: brandForm.output['2021'] },
    (_, i) => `学员${i},${residentId(i)},2021-08-01,北京康养集团\n`,
  ).join('')}`,
);

export const brandUploads = [
  { slot: 'application-form', fileName: '申报表 2021.pdf', contentType: 'application/pdf', bytes: PDF },
  { slot: 'qualification', fileName: '营业执照.pdf', contentType: 'application/pdf', bytes: PDF },
  { slot: 'training-proof', fileName: '结业证明.pdf', contentType: 'application/pdf', bytes: PDF },
  { slot: 'media-reports', fileName: '报道.pdf', contentType: 'application/pdf', bytes: PDF },
  { slot: 'training-roster', fileName: '培训花名册.csv', contentType: 'text/csv', bytes: TRAINING_CSV },
  { slot: 'output-roster', fileName: '输出花名册.csv', contentType: 'text/csv', bytes: OUTPUT_CSV },
];

/** A base's output roster bearing out its declared transfers since 2020 (1100 + 1300 = 2400 people). */
const BASE_OUTPUT_CSV = Buffer.from(
  `姓名,身份证号码,输出日期,就业单位\n${Array.from(
    { length: baseForm.output['2020'] + baseForm.output['2021'] },
    (_, i) =>
      `务工人员${i},${residentId(20_000 + i)},${i < baseForm.output['2020'] ? '2020-05-01' : '2021-05-01'},长三角制造企业\n`,
  ).join('')}`,
);

export const baseUploads = [
  { slot: 'application-form', fileName: '申报表.pdf', contentType: 'application/pdf', bytes: PDF },
  { slot: 'qualification', fileName: '资质.pdf', contentType: 'application/pdf', bytes: PDF },
  { slot: 'cooperation-agreement', fileName: '协作协议.pdf', contentType: 'application/pdf', bytes: PDF },
  { slot: 'output-roster', fileName: '输出花名册.csv', contentType: 'text/csv', bytes: BASE_OUTPUT_CSV },
];

/** Tokens from the local issuer, as the console would obtain them. */
export async function tokens(cloud: LocalCloud) {
  const api = apiClient(cloud.url);
  const token = async (body: Record<string, string>) =>
    (await api('POST', '/local/token', { body })).body.token as string;
  return {
    applicant: await token({ role: 'applicant', org: UNIT_CREDIT_CODE }),
    county: await token({ role: 'county', county: COUNTY }),
    otherCounty: await token({ role: 'county', county: '141002' }),
    city: await token({ role: 'city' }),
  };
}

/** Posts a file to a presigned POST exactly as a browser form would. */
export async function postUpload(
  upload: { url: string; fields: Record<string, string> },
  bytes: Buffer,
  fileName: string,
) {
  const form = new FormData();
  for (const [key, value] of Object.entries(upload.fields)) form.append(key, value);
  form.append('file', new Blob([bytes]), fileName);
  const response = await fetch(upload.url, { method: 'POST', body: form });
  if (response.status >= 300) throw new Error(`upload failed: ${response.status} ${await response.text()}`);
}

/** An application as the API takes it, and the files its checklist needs. */
export interface Application {
  kind: 'brand' | 'base';
  route: 'county' | 'direct';
  countyCode?: string;
  form: Record<string, unknown>;
  uploads: readonly { slot: string; fileName: string; contentType: string; bytes: Buffer }[];
}

/** A case with every file of `application.uploads` uploaded and accepted by intake. */
export async function completeCase(
  cloud: LocalCloud,
  applicantToken: string,
  application: Application,
  timeoutMs = 30_000,
): Promise<string> {
  const api = apiClient(cloud.url);
  const { uploads, ...body } = application;
  const created = await api('POST', '/v1/cases', {
    token: applicantToken,
    body: { roundId: '2021', ...body },
  });
  if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
  const caseId = created.body.caseId as string;
  for (const file of uploads) {
    const slot = await api('POST', `/v1/cases/${caseId}/uploads`, {
      token: applicantToken,
      body: {
        slot: file.slot,
        fileName: file.fileName,
        contentType: file.contentType,
        size: file.bytes.length,
      },
    });
    if (slot.status !== 201) throw new Error(`upload slot failed: ${JSON.stringify(slot.body)}`);
    await postUpload(slot.body, file.bytes, file.fileName);
  }
  await eventually(async () => {
    const view = await api('GET', `/v1/cases/${caseId}`, { token: applicantToken });
    const statuses = (view.body.evidence as { status: string }[]).map((item) => item.status);
    return statuses.length === uploads.length && statuses.every((status) => status === 'ACCEPTED')
      ? true
      : undefined;
  }, timeoutMs);
  return caseId;
}

/** A county-route brand case with every required file uploaded and accepted by intake. */
export function completeBrandCase(cloud: LocalCloud, applicantToken: string): Promise<string> {
  return completeCase(
    cloud,
    applicantToken,
    { kind: 'brand', route: 'county', countyCode: COUNTY, form: brandForm, uploads: brandUploads },
    15_000,
  );
}

export function sfnClient(cloud: LocalCloud) {
  return new SFNClient({
    endpoint: cloud.endpoints.stepfunctions,
    region: cloud.topology.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

export function stateMachineArn(cloud: LocalCloud): string {
  const machine = Object.values(cloud.topology.stateMachines)[0];
  if (!machine) throw new Error('no state machine');
  return machine.arn;
}

/** Starts the case workflow for a county-route case as submission will: execution name `<caseId>-1`. */
export async function startCaseExecution(cloud: LocalCloud, caseId: string): Promise<string> {
  const { executionArn } = await sfnClient(cloud).send(
    new StartExecutionCommand({
      stateMachineArn: stateMachineArn(cloud),
      name: `${caseId}-1`,
      input: JSON.stringify({ caseId, roundId: '2021', route: 'county' }),
    }),
  );
  if (!executionArn) throw new Error('StartExecution returned no execution ARN');
  return executionArn;
}

import { createHash } from 'node:crypto';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '#local/cloud';
import { checkIdString } from '#shared/roster/index';
import { encodeGb18030 } from '../../fixtures/roster/gb18030';
import { buildXlsx } from '../../fixtures/roster/xlsx';
import { apiClient, eventually, startTestCloud } from '../../support/local-cloud';
import { brandForm, brandUploads, COUNTY, postUpload, residentId, tokens } from '../cloud/fixtures';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** A GB 11643 ID with its check character computed from the 17 digits. */
function id(body17: string): string {
  const sum = [...body17].reduce((s, d, i) => s + Number(d) * (WEIGHTS[i] as number), 0);
  return body17 + '10X98765432'.charAt(sum % 11);
}
/** The first ID of a birth date whose check character is X. */
function idEndingInX(birth: string): string {
  for (let seq = 0; seq < 1000; seq++) {
    const candidate = id(`141024${birth}${String(seq).padStart(3, '0')}`);
    if (candidate.endsWith('X')) return candidate;
  }
  throw new Error('no X found');
}
const wrongCheck = (valid: string) => valid.slice(0, 17) + (valid.endsWith('1') ? '2' : '1');

const ID_A = id('14102419900101001');
const ID_B = id('14262119851231002'); // 1426xx: Linfen's code before it became a city, still valid
const ID_C = id('11010519491231003');
const ID_D = id('14102420000229004');
const ID_E = wrongCheck(id('14102419920315005'));
const ID_F = idEndingInX('19930704');
const ID_G = id('14102419880808007');
const ID_H = id('14102419770707008');
const ID_J = id('14102419910203010');
const ID_K = id('14102419920304011');
const PHONE_A = '13800001111';
const PHONE_B = '13900002222';
const PHONE_G = '15912345678';
/** Every plain personal number these rosters carry: none may appear outside the uploads. */
const PLAIN = [
  ID_A,
  ID_B,
  ID_C,
  ID_D,
  ID_E,
  ID_F,
  ID_F.toLowerCase(),
  ID_G,
  ID_H,
  ID_J,
  ID_K,
  PHONE_A,
  PHONE_B,
  PHONE_G,
];

/** Rows 2–9: 6 valid (one a duplicate of row 2), 2 invalid; 5 people, 4 trained in 2021, 3 of them employed. */
const TRAINING_CSV = [
  '序号,姓名,身份证号码,手机号码,结业日期,就业单位,就业日期',
  `1,张甲,${ID_A},${PHONE_A},2021-06-30,临汾护理院,2021-07-01`,
  `2,李乙,${ID_B},${PHONE_B},2021/7/5,临汾护理院,2021年7月10日`,
  `3,王丙,${ID_C},,20210801,,`,
  `4,赵丁,${ID_D},12345,2020-05-01,洪洞家政,2020-06-01`,
  `5,张甲,${ID_A},${PHONE_A},2021-06-30,临汾护理院,2021-07-01`,
  `6,钱戊,${ID_E},,2021-06-30,,`,
  '7,孙己,,,2021-06-30,,',
  `8,周庚,${ID_F.toLowerCase()},,2021-03-01,尧都康养中心,2021-04-01`,
].join('\r\n');

describe('rosters through intake: stats on the case, error report, person index, no plain personal numbers', () => {
  let cloud: LocalCloud & { dataDir: string };
  let api: ReturnType<typeof apiClient>;
  let who: Awaited<ReturnType<typeof tokens>>;
  let s3: S3Client;
  let documents: DynamoDBDocumentClient;
  let bucket: string;
  let table: string;
  let firstCase: string;
  let secondCase: string;

  beforeAll(async () => {
    cloud = await startTestCloud();
    api = apiClient(cloud.url);
    await api('POST', '/local/clock', { body: { now: '2021-12-01T09:00:00+08:00' } });
    who = await tokens(cloud);
    s3 = new S3Client({
      endpoint: cloud.endpoints.s3,
      region: cloud.topology.region,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: cloud.endpoints.dynamodb,
        region: cloud.topology.region,
        credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
      }),
    );
    bucket = Object.values(cloud.topology.buckets).find((b) => b.notifications.length > 0)?.name ?? '';
    table =
      Object.values(cloud.topology.tables).find((t) => t.logicalId.startsWith('StorageCases'))?.tableName ??
      '';
  });
  afterAll(async () => {
    s3?.destroy();
    documents?.destroy();
    await cloud?.stop();
  });

  const newCase = async () => {
    const created = await api('POST', '/v1/cases', {
      token: who.applicant,
      body: { roundId: '2021', kind: 'brand', route: 'county', countyCode: COUNTY, form: brandForm },
    });
    expect(created.status).toBe(201);
    return created.body.caseId as string;
  };
  const view = async (caseId: string) =>
    (await api('GET', `/v1/cases/${caseId}`, { token: who.applicant })).body;
  /** Uploads a roster and waits until intake has judged it; the evidence item and the case view. */
  const upload = async (
    caseId: string,
    slot: string,
    fileName: string,
    contentType: string,
    bytes: Uint8Array,
  ) => {
    const reserved = await api('POST', `/v1/cases/${caseId}/uploads`, {
      token: who.applicant,
      body: { slot, fileName, contentType, size: bytes.length },
    });
    expect(reserved.status).toBe(201);
    await postUpload(reserved.body, Buffer.from(bytes), fileName);
    return eventually(async () => {
      const current = await view(caseId);
      const item = current.evidence.find(
        (e: { evidenceId: string }) => e.evidenceId === reserved.body.evidenceId,
      );
      return item && item.status !== 'PENDING'
        ? { item, view: current, key: reserved.body.key as string }
        : undefined;
    });
  };
  const objectText = async (key: string) =>
    (await (
      await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
    ).Body?.transformToString('utf8')) ?? '';
  /** The stats as stored (the applicant's view leaves out the report's key and other cases' ids). */
  const storedStats = async (caseId: string, slot: string) => {
    const casesTable = Object.values(cloud.topology.tables).find((t) =>
      t.logicalId.startsWith('StorageCases'),
    );
    const result = await documents.send(
      new GetCommand({
        TableName: casesTable?.tableName,
        Key: { pk: `CASE#${caseId}`, sk: `ROSTER#${slot}` },
      }),
    );
    return result.Item ?? {};
  };
  const crossCaseOf = (caseId: string, slot: string) =>
    eventually(async () => (await storedStats(caseId, slot)).crossCase ?? undefined);

  it('verifies a UTF-8 training roster: the numbers, the issues, the declared difference and a masked error report', async () => {
    // Prepare
    firstCase = await newCase();
    const bytes = new TextEncoder().encode(`\ufeff${TRAINING_CSV}\r\n`);

    // Act
    const { item, view: current } = await upload(
      firstCase,
      'training-roster',
      '培训花名册.csv',
      'text/csv',
      bytes,
    );

    // Assess
    expect(item).toMatchObject({
      status: 'ACCEPTED',
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    const stats = current.rosters['training-roster'];
    expect(stats).toMatchObject({
      rows: 8,
      validRows: 6,
      invalidRows: 2,
      duplicateRows: 1,
      distinctPersons: 5,
      trainedInYear: 4,
      employedOfTrained: 3,
      employmentRate: 0.75,
      format: 'csv',
      encoding: 'utf-8',
      errorsTotal: 4,
      errorsTruncated: false,
      evidenceId: item.evidenceId,
    });
    expect(stats.errors.map((e: { row: number; code: string }) => `${e.row}:${e.code}`)).toEqual([
      '5:PHONE_INVALID',
      '6:ID_DUPLICATE',
      '7:ID_CHECKSUM',
      '8:ID_MISSING',
    ]);
    expect(stats.declaredDifferences).toEqual([
      expect.objectContaining({ metric: 'trainedInYear', declared: 560, verified: 4, kind: 'shortfall' }),
    ]);
    expect(stats.errorReport).toMatchObject({ issues: 4 });
    expect(stats.errorReport.key).toBeUndefined();
    expect(stats.crossCase).toBeUndefined();
    const stored = await storedStats(firstCase, 'training-roster');
    expect(stored.errorReport.key.startsWith('rounds/')).toBe(false);

    const report = await objectText(stored.errorReport.key);
    expect(report.startsWith('\ufeff"行号","列","代码","原因"\r\n')).toBe(true);
    expect(report).toContain('"7","身份证号码","ID_CHECKSUM"');
    expect(report).toContain(`${ID_E.slice(0, 6)}********${ID_E.slice(-4)}`);
    expect(report.split('\r\n')).toHaveLength(1 + 4 + 1);
    expect(await crossCaseOf(firstCase, 'training-roster')).toEqual({ persons: 0, cases: [] });
  });

  it('verifies a GB18030 roster of another case the same way and reports the people both cases claim', async () => {
    // Prepare
    secondCase = await newCase();
    const text = [
      '姓名,身份证号,联系电话,培训日期,工作单位,入职日期',
      `张甲,${ID_A},${PHONE_A},2021-05-20,临汾护理院,2021-06-01`,
      `李乙,${ID_B},,2021-05-20,,`,
      `吴辛,${ID_G},${PHONE_G},2021-05-20,曲沃家政,2021-06-15`,
    ].join('\n');

    // Act
    const { item, view: current } = await upload(
      secondCase,
      'training-roster',
      '培训花名册（WPS导出）.csv',
      'text/csv',
      encodeGb18030(`${text}\n`),
    );
    const crossCase = await crossCaseOf(secondCase, 'training-roster');

    // Assess
    expect(item.status).toBe('ACCEPTED');
    expect(current.rosters['training-roster']).toMatchObject({
      encoding: 'gb18030',
      rows: 3,
      validRows: 3,
      trainedInYear: 3,
      employedOfTrained: 2,
    });
    expect(crossCase).toEqual({ persons: 2, cases: [{ caseId: firstCase, persons: 2 }] });
    // The earlier case hears of it too, for its own reviewers.
    const notices = await documents.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': `CASE#${firstCase}`, ':p': 'CROSSCASE#' },
      }),
    );
    expect(notices.Items).toEqual([
      expect.objectContaining({ otherCaseId: secondCase, otherSlot: 'training-roster', persons: 2 }),
    ]);

    // A repeated S3 event redoes the work with the same outcome: nothing counted twice.
    const intake = Object.values(cloud.topology.buckets).find((b) => b.notifications.length > 0)
      ?.notifications[0];
    const evidenceKey = `rounds/2021/cases/${secondCase}/training-roster/${item.evidenceId}`;
    await cloud.invoke(intake?.functionArn ?? '', {
      Records: [
        {
          eventName: 'ObjectCreated:Post',
          s3: { bucket: { name: bucket }, object: { key: evidenceKey, sequencer: 'FFFFFFFFFFFFFFFFFF' } },
        },
      ],
    });
    expect((await storedStats(secondCase, 'training-roster')).crossCase).toEqual(crossCase);
  });

  it('verifies an XLSX output roster with Excel serial dates', async () => {
    // Prepare
    const thirdCase = await newCase();
    const serial = (iso: string) => (Date.parse(iso) - Date.UTC(1899, 11, 30)) / 86_400_000;
    const xlsx = buildXlsx({
      rows: [
        ['姓名', '身份证号码', '输出日期', '就业单位', '输出地'],
        ['郑壬', ID_H, { serial: serial('2021-03-15') }, '苏州电子厂', '江苏苏州'],
        ['张甲', ID_A, { serial: serial('2021-09-01') }, '临汾护理院', '山西临汾'],
        ['周庚', ID_F, '2020-11-11', '昆山机械', '江苏昆山'],
      ],
    });

    // Act
    const { item, view: current } = await upload(
      thirdCase,
      'output-roster',
      '输出花名册.xlsx',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      xlsx,
    );

    // Assess
    expect(item.status).toBe('ACCEPTED');
    expect(current.rosters['output-roster']).toMatchObject({
      format: 'xlsx',
      rows: 3,
      validRows: 3,
      outputInYear: 2,
      errorsTotal: 0,
      errorReport: null,
      declaredDifferences: [expect.objectContaining({ metric: 'outputInYear', declared: 350, verified: 2 })],
    });
    const crossCase = await crossCaseOf(thirdCase, 'output-roster');
    expect(crossCase).toEqual({
      persons: 2,
      cases: [
        { caseId: firstCase, persons: 2 },
        { caseId: secondCase, persons: 1 },
      ],
    });
  });

  it('refuses a roster it cannot verify with the reason, and writes no stats for it', async () => {
    // Prepare
    const caseId = await newCase();
    const bytes = new TextEncoder().encode('姓名,电话\n张甲,无\n');

    // Act
    const { item, view: current } = await upload(caseId, 'training-roster', '错表.csv', 'text/csv', bytes);

    // Assess
    expect(item).toMatchObject({ status: 'REJECTED', reasonCode: 'ROSTER_HEADER_MISSING_COLUMNS' });
    expect(item.reason).toMatch(/花名册缺少必需的列/);
    expect(current.rosters).toEqual({});
  });

  it('refuses to submit a case whose verified rosters fall short of the round’s thresholds, naming each shortfall', async () => {
    // Prepare: every material in place, the rosters verified but far below 500 trained / 300 output
    const caseId = await newCase();
    for (const file of brandUploads.filter((f) => !f.slot.endsWith('-roster'))) {
      expect((await upload(caseId, file.slot, file.fileName, file.contentType, file.bytes)).item.status).toBe(
        'ACCEPTED',
      );
    }
    const training = new TextEncoder().encode(`${TRAINING_CSV}\r\n`);
    const output = new TextEncoder().encode(
      `姓名,身份证号码,输出日期,就业单位\n张甲,${ID_A},2021-09-01,临汾护理院\n吴辛,${ID_G},2021-10-01,曲沃家政\n`,
    );
    await upload(caseId, 'training-roster', '培训花名册.csv', 'text/csv', training);
    await upload(caseId, 'output-roster', '输出花名册.csv', 'text/csv', output);

    // Act
    const submitted = await api('POST', `/v1/cases/${caseId}/submit`, { token: who.applicant });

    // Assess: told at once (一次性告知), and the case stays with the applicant
    expect(submitted.status).toBe(422);
    expect(submitted.body.error.details.map((d: { code: string }) => d.code)).toEqual([
      'BELOW_TRAINED_MIN',
      'BELOW_OUTPUT_MIN',
      'DECLARED_EXCEEDS_VERIFIED',
      'DECLARED_EXCEEDS_VERIFIED',
    ]);
    expect((await view(caseId)).status).toBe('DRAFT');
  });

  it('refuses to submit a case declaring 600 trained people whose roster verifies 578, naming both numbers', async () => {
    // Prepare: the output roster bears out the form; the training roster has 578 people of 2021.
    const created = await api('POST', '/v1/cases', {
      token: who.applicant,
      body: {
        roundId: '2021',
        kind: 'brand',
        route: 'county',
        countyCode: COUNTY,
        form: { ...brandForm, trained: { '2020': 420, '2021': 600 } },
      },
    });
    expect(created.status).toBe(201);
    const caseId = created.body.caseId as string;
    for (const file of brandUploads.filter((f) => f.slot !== 'training-roster')) {
      expect((await upload(caseId, file.slot, file.fileName, file.contentType, file.bytes)).item.status).toBe(
        'ACCEPTED',
      );
    }
    const rows = Array.from(
      { length: 578 },
      (_, i) => `学员${i},${residentId(i)},2021-06-30,临汾护理院,2021-07-01`,
    ).join('\n');
    const training = new TextEncoder().encode(`姓名,身份证号码,结业日期,就业单位,就业日期\n${rows}\n`);
    await upload(caseId, 'training-roster', '培训花名册.csv', 'text/csv', training);

    // Act
    const submitted = await api('POST', `/v1/cases/${caseId}/submit`, { token: who.applicant });

    // Assess
    expect(submitted.status).toBe(422);
    expect(submitted.body.error.details).toEqual([
      {
        path: 'rosters.training-roster.trainedInYear',
        code: 'DECLARED_EXCEEDS_VERIFIED',
        message: '申报表填报培训人数 600 人，花名册核实 578 人',
      },
    ]);
  });

  it('counts a row employed after the upload day as trained, not employed, and a row completed after it not at all', async () => {
    // Prepare: the clock says 2021-12-01; 吴辛 finished in November and starts work on 12-10,
    // 郑壬 finishes on 12-15.
    const caseId = await newCase();
    const text = [
      '序号,姓名,身份证号码,手机号码,结业日期,就业单位,就业日期',
      `1,吴辛,${ID_J},,2021-11-20,临汾护理院,2021-12-10`,
      `2,郑壬,${ID_K},,2021-12-15,,`,
    ].join('\r\n');

    // Act
    const { item, view: current } = await upload(
      caseId,
      'training-roster',
      '培训花名册.csv',
      'text/csv',
      new TextEncoder().encode(`${text}\r\n`),
    );

    // Assess: both rows valid, warnings and not errors, counted in the new fields.
    expect(item.status).toBe('ACCEPTED');
    const stats = current.rosters['training-roster'];
    expect(stats).toMatchObject({
      validRows: 2,
      invalidRows: 0,
      trainedInYear: 1,
      employedOfTrained: 0,
      notYetRows: 1,
      notYetEmployed: 1,
      errorsTotal: 0,
      warningsTotal: 2,
    });
    expect(stats.errors).toEqual([]);
    expect(stats.warnings.map((w: { row: number; code: string }) => `${w.row}:${w.code}`)).toEqual([
      '2:EMPLOYMENT_NOT_YET',
      '3:DATE_NOT_YET',
    ]);
  });

  it('leaves no plain ID or mobile number in any table item (cases, workflow state) or any object outside the uploads', async () => {
    // Act
    const items: Record<string, unknown>[] = [];
    const tables = (await documents.send(new ListTablesCommand({}))).TableNames ?? [];
    for (const name of tables) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await documents.send(new ScanCommand({ TableName: name, ExclusiveStartKey: startKey }));
        items.push(...(page.Items ?? []));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    const keys = (listed.Contents ?? []).map((o) => o.Key ?? '');
    const derived = keys.filter((key) => !key.startsWith('rounds/') && !key.startsWith('quarantine/'));
    const texts = [
      ...items.map((item) => JSON.stringify(item, (_k, v) => (v instanceof Set ? [...v] : v))),
      ...(await Promise.all(derived.map(objectText))),
    ];

    // Assess
    expect(tables).toContain(table);
    expect(items.some((item) => String(item.pk).startsWith('PERSON#2021#'))).toBe(true);
    expect(derived.some((key) => key.startsWith('reports/rosters/'))).toBe(true);
    for (const text of texts) {
      for (const plain of PLAIN) expect(text).not.toContain(plain);
      // Any checksum-valid 18-character ID at all, not only the ones planted here.
      const candidates = text.match(/(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])/g) ?? [];
      expect(candidates.filter((c) => checkIdString(c, 20991231) === 0)).toEqual([]);
    }
  });
});

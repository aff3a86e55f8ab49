import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { TaskItem } from '#shared/cases/model';
import { renderApplicationForm } from '#shared/documents/application-form';
import {
  applicationFormFileName,
  applicationFormInputOf,
  type CaseFormSource,
} from '#shared/documents/case-form';
import { getRound } from '#shared/rounds/index';

const round = getRound('2021');
if (!round) throw new Error('round 2021 missing');

const head: CaseFormSource['head'] = {
  kind: 'brand',
  route: 'county',
  countyCode: '141024',
  form: {
    name: '洪洞护工',
    ownerUnit: '洪洞县职业培训学校',
    leader: '张三',
    mobile: '13812345678',
    trained: { '2020': 420, '2021': 560 },
    output: { '2020': 300, '2021': 350 },
    introduction: '介绍',
  },
};

let n = 0;
const task = (type: TaskItem['type'], overrides: Partial<TaskItem> = {}): TaskItem => ({
  taskId: `t${++n}`,
  caseId: 'c',
  type,
  assigneeGroup: 'g',
  state: 'DONE',
  createdAt: '2021-12-01T01:00:00.000Z',
  dueAt: '2021-12-20T16:00:00.000Z',
  decision: 'approve',
  completedAt: `2021-12-0${n % 9 || 1}T02:00:00.000Z`,
  ...overrides,
});

describe('a case as its official form', () => {
  it('leaves every opinion box blank before anyone decided', () => {
    const input = applicationFormInputOf({ head, tasks: [task('county-review', { state: 'OPEN' })], round });
    expect(input.opinions).toEqual({});
    expect(input.recommendingUnit).toBe('洪洞县人力资源和社会保障局');
    expect(input.years).toEqual([2020, 2021]);
    expect(input.form.trained).toEqual({ '2020': 420, '2021': 560 });
  });

  it('fills the county box with the latest county decision, its signer and date', () => {
    const input = applicationFormInputOf({
      head,
      tasks: [
        task('county-review', {
          decision: 'return',
          opinion: '请补充花名册',
          signer: 'clerk-1',
          completedAt: '2021-12-02T02:00:00.000Z',
        }),
        task('county-review', {
          opinion: '材料真实，同意推荐',
          signer: 'clerk-2',
          completedAt: '2021-12-06T02:00:00.000Z',
        }),
      ],
      round,
    });
    expect(input.opinions.county).toEqual({
      text: '材料真实，同意推荐',
      signer: 'clerk-2',
      at: '2021-12-06T02:00:00.000Z',
    });
  });

  it('fills the expert box only once the panel is done, with the aggregate and each opinion', () => {
    const reviews = [
      task('expert-review', {
        opinion: '同意',
        signer: 'expert-01',
        completedAt: '2021-12-07T02:00:00.000Z',
      }),
      task('expert-review', {
        opinion: '特色鲜明',
        signer: 'expert-02',
        completedAt: '2021-12-08T02:00:00.000Z',
      }),
    ];
    const pending = applicationFormInputOf({
      head,
      tasks: [...reviews, task('expert-review', { state: 'OPEN', completedAt: undefined })],
      round,
    });
    expect(pending.opinions.experts).toBeUndefined();
    const done = applicationFormInputOf({
      head,
      tasks: reviews,
      round,
      expertAggregate: { total: 86.5, count: 2 },
    });
    expect(done.opinions.experts).toEqual({
      text: '专家组综合评分：86.5 分（2 位专家评分）\nexpert-01：同意\nexpert-02：特色鲜明',
      signer: 'expert-01、expert-02',
      at: '2021-12-08T02:00:00.000Z',
    });
  });

  it('fills the city box with the selection, the objection review, the certificate and the province decision', () => {
    const input = applicationFormInputOf({
      head,
      tasks: [
        task('selection', {
          opinion: '入选候选名单',
          signer: 'city-1',
          completedAt: '2021-12-01T02:00:00.000Z',
        }),
        task('objection-review', {
          opinion: '经核查，异议不成立',
          signer: 'city-2',
          completedAt: '2021-12-11T02:00:00.000Z',
        }),
        task('province-recommendation', {
          opinion: '推荐申报省级',
          signer: 'city-2',
          completedAt: '2021-12-13T02:00:00.000Z',
        }),
      ],
      round,
      recognition: { certificateNo: 'LF-2021-PP-001', certifiedAt: '2021-12-11T03:00:00.000Z' },
    });
    expect(input.opinions.city?.text.split('\n')).toEqual([
      '择优评审：入选候选名单',
      '公示异议复核：经核查，异议不成立',
      '经公示无异议，认定为2021年度市级劳务品牌，证书编号：LF-2021-PP-001。',
      '推荐上报省级：推荐申报省级',
    ]);
    expect(input.opinions.city).toMatchObject({ signer: 'city-2', at: '2021-12-13T02:00:00.000Z' });
  });

  it('names a direct application’s recommending unit and the file after the attachment and the name', () => {
    const direct = applicationFormInputOf({
      head: { ...head, route: 'direct', countyCode: undefined },
      tasks: [],
      round,
    });
    expect(direct.recommendingUnit).toBe('市直单位（直接申报）');
    expect(applicationFormFileName('base', '临汾—长三角劳务协作基地')).toBe(
      '附件2-临汾—长三角劳务协作基地-申报认定表.docx',
    );
  });

  it('renders into word/document.xml with the name, the counts and the opinions', () => {
    const input = applicationFormInputOf({
      head,
      tasks: [
        task('county-review', {
          opinion: '同意推荐',
          signer: 'clerk-1',
          completedAt: '2021-12-06T02:00:00.000Z',
        }),
      ],
      round,
    });
    const xml = strFromU8(unzipSync(renderApplicationForm(input))['word/document.xml'] ?? new Uint8Array());
    for (const text of ['洪洞护工', '560', '350', '同意推荐', 'clerk-1', '2021年12月6日'])
      expect(xml).toContain(text);
  });
});

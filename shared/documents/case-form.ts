import type { CaseHead, TaskItem } from '../cases/model';
import type { Round } from '../rounds/schema';
import type { Recognition } from '../store/recognition-repository';
import type { ApplicationFormInput, Opinion } from './application-form';

/**
 * A case as its official form (附件1/附件2): the form's fields, the recommending unit, and the three
 * opinion boxes filled from what the workflow recorded — the county review, the expert panel and the
 * city's decisions (selection, objection review, recognition, recommendation to the province). A box
 * stays blank, for pen and stamp, until its opinion exists.
 */
export interface CaseFormSource {
  head: Pick<CaseHead, 'kind' | 'route' | 'countyCode' | 'form'>;
  tasks: readonly TaskItem[];
  round: Pick<Round, 'year' | 'formYears' | 'counties'>;
  recognition?: Pick<Recognition, 'certificateNo' | 'certifiedAt' | 'revokedAt' | 'revocationReason'>;
  /** The panel's aggregate of the expert review, when there is one. */
  expertAggregate?: { total: number | null; count: number };
}

const KIND_TITLES = { brand: '市级劳务品牌', base: '市级劳务协作基地' } as const;

const string = (value: unknown) => (typeof value === 'string' ? value : undefined);

function counts(value: unknown): Record<string, number> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value).filter(
    (entry): entry is [string, number] => typeof entry[1] === 'number',
  );
  return Object.fromEntries(entries);
}

/** Closed tasks that carry a recorded decision, oldest first. */
function decided(tasks: readonly TaskItem[], types: readonly TaskItem['type'][]) {
  return tasks
    .filter(
      (task): task is TaskItem & { opinion: string; completedAt: string } =>
        types.includes(task.type) &&
        task.state === 'DONE' &&
        typeof task.opinion === 'string' &&
        task.opinion.length > 0 &&
        typeof task.completedAt === 'string',
    )
    .sort((a, b) => a.completedAt.localeCompare(b.completedAt));
}

function countyOpinion(tasks: readonly TaskItem[]): Opinion | undefined {
  const latest = decided(tasks, ['county-review']).at(-1);
  return latest ? { text: latest.opinion, signer: latest.signer ?? '', at: latest.completedAt } : undefined;
}

function expertOpinion(source: CaseFormSource): Opinion | undefined {
  const reviews = source.tasks.filter((task) => task.type === 'expert-review');
  // The panel's box is filled once the panel is done: every expert has decided or was passed over.
  if (reviews.some((task) => task.state === 'OPEN')) return undefined;
  const done = decided(reviews, ['expert-review']);
  const last = done.at(-1);
  if (!last) return undefined;
  const aggregate = source.expertAggregate;
  const lines = [
    ...(aggregate && aggregate.total !== null
      ? [`专家组综合评分：${aggregate.total} 分（${aggregate.count} 位专家评分）`]
      : []),
    ...done.map((task) => `${task.signer ?? '专家'}：${task.opinion}`),
  ];
  const signers = [...new Set(done.map((task) => task.signer).filter((s): s is string => Boolean(s)))];
  return { text: lines.join('\n'), signer: signers.join('、'), at: last.completedAt };
}

function cityOpinion(source: CaseFormSource): Opinion | undefined {
  const labels: Partial<Record<TaskItem['type'], string>> = {
    selection: '择优评审',
    'objection-review': '公示异议复核',
    'province-recommendation': '推荐上报省级',
  };
  const done = decided(source.tasks, ['selection', 'objection-review', 'province-recommendation']);
  const lines = done
    .filter((task) => task.type !== 'province-recommendation')
    .map((task) => `${labels[task.type]}：${task.opinion}`);
  const { recognition } = source;
  if (recognition) {
    lines.push(
      `经公示无异议，认定为${source.round.year}年度${KIND_TITLES[source.head.kind]}，证书编号：${recognition.certificateNo}。`,
    );
  }
  for (const task of done.filter((t) => t.type === 'province-recommendation')) {
    lines.push(`${labels[task.type]}：${task.opinion}`);
  }
  if (recognition?.revokedAt) lines.push(`认定已撤销：${recognition.revocationReason ?? ''}`);
  const last = done.at(-1);
  if (!last) return undefined;
  const times = [last.completedAt, recognition?.certifiedAt, recognition?.revokedAt].filter(
    (at): at is string => typeof at === 'string',
  );
  return { text: lines.join('\n'), signer: last.signer ?? '', at: times.sort().at(-1) ?? last.completedAt };
}

export function recommendingUnitOf(source: Pick<CaseFormSource, 'head' | 'round'>): string {
  const { head, round } = source;
  if (head.route === 'direct' || !head.countyCode) return '市直单位（直接申报）';
  const county = round.counties.find((c) => c.code === head.countyCode);
  return `${county?.name ?? head.countyCode}人力资源和社会保障局`;
}

export function applicationFormInputOf(source: CaseFormSource): ApplicationFormInput {
  const { head, round } = source;
  const form = head.form;
  const opinions: ApplicationFormInput['opinions'] = {};
  const county = countyOpinion(source.tasks);
  const experts = expertOpinion(source);
  const city = cityOpinion(source);
  if (county) opinions.county = county;
  if (experts) opinions.experts = experts;
  if (city) opinions.city = city;
  return {
    kind: head.kind,
    years: round.formYears[head.kind],
    form: {
      name: string(form.name),
      ownerUnit: string(form.ownerUnit),
      address: string(form.address),
      leader: string(form.leader),
      officePhone: string(form.officePhone),
      mobile: string(form.mobile),
      trained: counts(form.trained),
      output: counts(form.output),
      introduction: string(form.introduction),
    },
    recommendingUnit: recommendingUnitOf(source),
    opinions,
  };
}

/** The name a browser saves the form under, e.g. `附件1-洪洞护工-申报认定表.docx`. */
export function applicationFormFileName(kind: CaseHead['kind'], name: string | undefined): string {
  return `${kind === 'brand' ? '附件1' : '附件2'}-${name || '申报'}-申报认定表.docx`;
}

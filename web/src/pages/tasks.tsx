import { type FormEvent, useState } from 'react';
import { ApiError, api, type Criterion, type TaskDetail, type TaskItem } from '../api';
import { useSession } from '../auth';
import { DECISION_NAMES, formatDate, formatDateTime, KIND_NAMES, taskName } from '../format';
import { navigate } from '../router';
import { Field, Loaded, Notice, Page, Problems, ShortId, StatusBadge, useAsync } from '../ui';
import { RosterFigures } from './case-page';

/** Overdue first, then the nearest due date: what needs doing now is at the top. */
export function inboxOrder(a: TaskItem, b: TaskItem): number {
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
  return a.dueAt.localeCompare(b.dueAt) || a.createdAt.localeCompare(b.createdAt);
}

export function TaskInbox() {
  const session = useSession();
  const { result } = useAsync(async () => {
    const { items } = await api<{ items: TaskItem[] }>('GET', '/v1/tasks');
    const sorted = [...items].sort(inboxOrder);
    // The list names only the case; the first page of details gives each row its application's name.
    const details = await Promise.all(
      sorted
        .slice(0, 30)
        .map((item) => api<TaskDetail>('GET', `/v1/tasks/${item.taskId}`).catch(() => undefined)),
    );
    const names = new Map(
      details
        .filter((detail): detail is TaskDetail => detail !== undefined)
        .map((detail) => [
          detail.taskId,
          { name: String(detail.case.form.name ?? ''), kind: detail.case.kind },
        ]),
    );
    return { items: sorted, names };
  }, 'inbox');
  if (session?.role === 'applicant')
    return <Problems title="申报单位没有待办，请在“我的申报”中查看补正要求" />;
  return (
    <Page title="待办">
      <Loaded result={result} what="待办">
        {({ items, names }) =>
          items.length === 0 ? (
            <Notice>目前没有待办。</Notice>
          ) : (
            <table className="inbox">
              <caption className="visually-hidden">待办列表，逾期的排在最前</caption>
              <thead>
                <tr>
                  <th scope="col">事项</th>
                  <th scope="col">申报</th>
                  <th scope="col">收到时间</th>
                  <th scope="col">办理期限</th>
                  <th scope="col">操作</th>
                </tr>
              </thead>
              <tbody>
                {items.map((item) => {
                  const named = names.get(item.taskId);
                  return (
                    <tr key={item.taskId} className={item.overdue ? 'overdue' : undefined}>
                      <td>{taskName(item.type)}</td>
                      <td>
                        {named ? `${named.name}（${KIND_NAMES[named.kind]}）` : ''}{' '}
                        <ShortId id={item.caseId} />
                      </td>
                      <td>{formatDate(item.createdAt)}</td>
                      <td>
                        {formatDate(item.dueAt)}
                        {item.overdue ? <span className="tag danger">已逾期</span> : null}
                      </td>
                      <td>
                        <a
                          href={`#/tasks/${item.taskId}`}
                          aria-label={`办理：${taskName(item.type)} ${named?.name ?? ''}`}
                        >
                          办理
                        </a>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </Page>
  );
}

export function TaskPage(props: { taskId: string }) {
  const { result } = useAsync(
    () => api<TaskDetail>('GET', `/v1/tasks/${encodeURIComponent(props.taskId)}`),
    props.taskId,
  );
  return (
    <Loaded result={result} what="待办">
      {(task) => <TaskDetailView task={task} />}
    </Loaded>
  );
}

function TaskDetailView(props: { task: TaskDetail }) {
  const { task } = props;
  const session = useSession();
  const form = task.case.form;
  const title = `${taskName(task.type)}：${String(form.name ?? '')}`;
  return (
    <Page title={title}>
      <p className="meta">
        <StatusBadge status={task.case.status} /> 市级{KIND_NAMES[task.case.kind]} ·{' '}
        {task.case.countyName ?? ''} · 办理期限 {formatDateTime(task.dueAt)}
        {task.overdue ? <span className="tag danger">已逾期</span> : null}
        {session?.role !== 'expert' ? (
          <>
            {' '}
            · <a href={`#/cases/${task.caseId}`}>查看完整申报</a>
          </>
        ) : null}
      </p>
      <section className="card" aria-labelledby="case-summary">
        <h2 id="case-summary">申报概况</h2>
        <dl className="pairs">
          {SUMMARY_FIELDS.filter(([key]) => form[key] !== undefined).map(([key, label]) => (
            <div key={key} className={key === 'introduction' ? 'wide' : undefined}>
              <dt>{label}</dt>
              <dd className={key === 'introduction' ? 'prose' : undefined}>{describe(form[key])}</dd>
            </div>
          ))}
        </dl>
        <h3>已接收的申报材料</h3>
        <ul>
          {task.case.evidence.map((item) => (
            <li key={item.evidenceId}>{item.fileName}</li>
          ))}
        </ul>
        {Object.entries(task.case.rosters).map(([slot, stats]) => (
          <div key={slot}>
            <h3>{slot === 'training-roster' ? '培训花名册核验结果' : '输出花名册核验结果'}</h3>
            <RosterFigures stats={stats} />
          </div>
        ))}
      </section>
      {task.objections ? <Objections objections={task.objections} /> : null}
      {task.state === 'OPEN' ? <Decision task={task} /> : <Notice>该待办已经办结。</Notice>}
    </Page>
  );
}

const SUMMARY_FIELDS: [string, string][] = [
  ['name', '名称'],
  ['ownerUnit', '所属单位'],
  ['address', '单位地址'],
  ['leader', '负责人'],
  ['officePhone', '办公电话'],
  ['trained', '培训人数'],
  ['output', '劳务输出人数'],
  ['pairing', '结对情况'],
  ['introduction', '情况介绍'],
];

function describe(value: unknown): string {
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .map(([key, inner]) => (/^\d{4}$/.test(key) ? `${key}年：${String(inner)}人` : String(inner)))
      .join('；');
  }
  return String(value ?? '');
}

function Objections(props: { objections: NonNullable<TaskDetail['objections']> }) {
  return (
    <section className="card" aria-labelledby="objections">
      <h2 id="objections">公示期间收到的异议（{props.objections.length} 件）</h2>
      <ol>
        {props.objections.map((objection) => (
          <li key={objection.objectionId}>
            <p>{objection.reason}</p>
            <p className="hint">
              收到时间 {formatDateTime(objection.receivedAt)} · 联系电话 {objection.phoneMasked}
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}

function Decision(props: { task: TaskDetail }) {
  const { task } = props;
  const rubric = task.rubric;
  const names = DECISION_NAMES[task.type] ?? {};
  const [decision, setDecision] = useState(task.decisions[0] ?? 'approve');
  const [opinion, setOpinion] = useState('');
  const [scores, setScores] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const scoreError = (criterion: Criterion, raw: string): string | undefined => {
    if (raw.trim() === '') return `请填写“${criterion.title}”的得分`;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0 || value > criterion.max)
      return `“${criterion.title}”的得分应在 0 至 ${criterion.max} 之间`;
    if (Math.round(value * 100) / 100 !== value) return '得分最多保留两位小数';
    return undefined;
  };
  const total = rubric?.reduce((sum, c) => sum + (Number(scores[c.criterionId]) || 0), 0) ?? 0;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const next: Record<string, string | undefined> = {};
    if (!opinion.trim()) next.opinion = '请填写意见';
    for (const criterion of rubric ?? [])
      next[criterion.criterionId] = scoreError(criterion, scores[criterion.criterionId] ?? '');
    setErrors(next);
    if (Object.values(next).some(Boolean)) return;
    setBusy(true);
    try {
      await api('POST', `/v1/tasks/${task.taskId}/complete`, {
        body: {
          decision,
          opinion: opinion.trim(),
          ...(rubric
            ? {
                scores: Object.fromEntries(rubric.map((c) => [c.criterionId, Number(scores[c.criterionId])])),
              }
            : {}),
        },
      });
      setDone(true);
      setTimeout(() => navigate('/tasks'), 1200);
    } catch (failure) {
      setError(
        failure instanceof ApiError && failure.status === 409
          ? new Error('该待办已经办结，无需重复办理')
          : failure,
      );
    } finally {
      setBusy(false);
    }
  };

  if (done) return <Notice tone="success">已办结：{names[decision] ?? decision}。正在返回待办列表…</Notice>;

  return (
    <section className="card" aria-labelledby="decision-title">
      <h2 id="decision-title">{rubric ? '评分与意见' : '办理意见'}</h2>
      {error ? <Problems title="未能办结" error={error} /> : null}
      <form noValidate onSubmit={(event) => void submit(event)}>
        {rubric ? (
          <fieldset>
            <legend>按评分细则逐项打分（满分 {rubric.reduce((sum, c) => sum + c.max, 0)} 分）</legend>
            <div className="form-grid">
              {rubric.map((criterion) => (
                <Field
                  key={criterion.criterionId}
                  label={`${criterion.title}（0–${criterion.max}分）`}
                  required
                  error={errors[criterion.criterionId]}
                >
                  {(control) => (
                    <input
                      {...control}
                      type="number"
                      inputMode="decimal"
                      min={0}
                      max={criterion.max}
                      step={0.5}
                      value={scores[criterion.criterionId] ?? ''}
                      onChange={(event) => {
                        const raw = event.target.value;
                        setScores((current) => ({ ...current, [criterion.criterionId]: raw }));
                        // A shown error goes as soon as the value is right (see case-form.tsx).
                        if (errors[criterion.criterionId])
                          setErrors((current) => ({
                            ...current,
                            [criterion.criterionId]: scoreError(criterion, raw),
                          }));
                      }}
                      onBlur={(event) =>
                        setErrors((current) => ({
                          ...current,
                          [criterion.criterionId]: event.target.value
                            ? scoreError(criterion, event.target.value)
                            : undefined,
                        }))
                      }
                    />
                  )}
                </Field>
              ))}
            </div>
            <p className="total" aria-live="polite">
              合计：<strong>{Math.round(total * 100) / 100}</strong> 分
            </p>
          </fieldset>
        ) : null}
        <fieldset>
          <legend>决定</legend>
          {task.decisions.map((value) => (
            <label key={value} className="choice">
              <input
                type="radio"
                name="decision"
                checked={decision === value}
                onChange={() => setDecision(value)}
              />
              {names[value] ?? value}
            </label>
          ))}
        </fieldset>
        <Field
          label={task.type === 'expert-review' ? '评审意见' : '意见'}
          required
          error={errors.opinion}
          hint={decision === 'return' ? '请逐条写明需要补正的内容，申报单位将一次看到全部意见' : undefined}
        >
          {(control) => (
            <textarea
              {...control}
              rows={4}
              maxLength={2000}
              value={opinion}
              onChange={(event) => setOpinion(event.target.value)}
            />
          )}
        </Field>
        <button type="submit" disabled={busy}>
          {busy ? '正在提交…' : '提交办理结果'}
        </button>
      </form>
    </section>
  );
}

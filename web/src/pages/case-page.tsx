import { type RefObject, useEffect, useRef, useState } from 'react';
import {
  ApiError,
  api,
  type CaseView,
  type ChecklistSlot,
  currentRound,
  download,
  type Evidence,
  postToPresignedUrl,
  type RosterStats,
  type RoundView,
} from '../api';
import { useSession } from '../auth';
import {
  ACTOR_ROLE_NAMES,
  actionName,
  EVIDENCE_STATUS_NAMES,
  FILE_EXTENSIONS,
  formatBytes,
  formatDateTime,
  formatPercent,
  KIND_NAMES,
  noteText,
  statusName,
} from '../format';
import { Loaded, Page, Problems, StatusBadge, useAsync } from '../ui';
import { acceptsText, rememberCase } from './applicant';
import { CaseForm, type CaseFormHandle } from './case-form';

const EDITABLE = new Set(['DRAFT', 'SUPPLEMENT_REQUESTED']);

export function CasePage(props: { caseId: string }) {
  const { result, reload } = useAsync(async () => {
    const [round, view] = await Promise.all([
      currentRound(),
      api<CaseView>('GET', `/v1/cases/${encodeURIComponent(props.caseId)}`),
    ]);
    return { round, view };
  }, props.caseId);

  // While files are being verified or the automatic check runs, the page follows the case.
  const view = result.state === 'done' ? result.value.view : undefined;
  const following =
    view !== undefined &&
    (view.evidence.some((item) => item.status === 'PENDING') || view.status === 'SUBMITTED');
  useEffect(() => {
    if (!following) return;
    const timer = setInterval(() => void reload(), 1500);
    return () => clearInterval(timer);
  }, [following, reload]);

  return (
    <Loaded result={result} what="申报">
      {({ round, view }) => <CaseDetail round={round} view={view} reload={reload} />}
    </Loaded>
  );
}

function CaseDetail(props: { round: RoundView; view: CaseView; reload: () => Promise<void> }) {
  const { round, view } = props;
  const session = useSession();
  const isApplicant = session?.role === 'applicant';
  const editable = isApplicant && EDITABLE.has(view.status);
  const formHandle = useRef<CaseFormHandle>(null);
  const name = typeof view.form.name === 'string' && view.form.name ? view.form.name : '（未填写名称）';
  const county = round.counties.find((c) => c.code === view.countyCode);

  useEffect(() => {
    if (isApplicant && session.org)
      rememberCase(session.org, {
        caseId: view.caseId,
        kind: view.kind,
        name: typeof view.form.name === 'string' ? view.form.name : '',
        createdAt: view.timeline[0]?.at ?? new Date().toISOString(),
      });
  }, [isApplicant, session, view]);

  return (
    <Page title={name}>
      <p className="meta">
        <StatusBadge status={view.status} /> 市级{KIND_NAMES[view.kind]} ·{' '}
        {view.route === 'county' ? `属地推荐（${county?.name ?? view.countyCode}）` : '市直直接申报'} ·
        申报编号 <span className="mono">{view.caseId}</span>
      </p>
      {view.supplementRequest ? (
        <div className="notice notice-warning" role="status">
          <h2>补正要求</h2>
          <p>
            请按下列意见补正材料，并于 <strong>{formatDateTime(view.supplementRequest.dueAt)}</strong>{' '}
            前重新提交。
          </p>
          {view.lastCheck && view.lastCheck.defects.length > 0 ? (
            <ol>
              {view.lastCheck.defects.map((defect, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the server's list is shown whole and in its order, never reordered
                <li key={`${defect.path}-${i}`}>{defect.message}</li>
              ))}
            </ol>
          ) : null}
          {returnOpinion(view)}
        </div>
      ) : null}
      {view.status === 'INELIGIBLE' && view.lastCheck ? (
        <Problems title="不符合申报条件" details={view.lastCheck.defects} />
      ) : null}
      <CaseForm
        caseView={view}
        round={round}
        editable={editable}
        onSaved={props.reload}
        handle={formHandle}
      />
      <EvidenceSection round={round} view={view} editable={editable} reload={props.reload} />
      {editable ? <SubmitSection view={view} formHandle={formHandle} reload={props.reload} /> : null}
      <Downloads view={view} />
      <Timeline view={view} />
    </Page>
  );
}

function returnOpinion(view: CaseView) {
  const entry = [...view.timeline].reverse().find((e) => e.status === 'SUPPLEMENT_REQUESTED' && e.note);
  return entry ? <p>审核意见：{entry.note}</p> : null;
}

interface Uploading {
  fileName: string;
  fraction: number;
  error?: unknown;
}

function EvidenceSection(props: {
  round: RoundView;
  view: CaseView;
  editable: boolean;
  reload: () => Promise<void>;
}) {
  const slots = props.round.checklist[props.view.kind];
  return (
    <section className="card" aria-labelledby="evidence-title">
      <h2 id="evidence-title">申报材料</h2>
      <p className="hint">
        每项材料可多次上传，以最后一次核验通过的文件为准。花名册上传后系统自动核验身份证号码并统计人数，页面会随核验进度更新。
      </p>
      <ul className="slots">
        {slots.map((slot) => (
          <SlotRow
            key={slot.slot}
            slot={slot}
            view={props.view}
            editable={props.editable}
            reload={props.reload}
          />
        ))}
      </ul>
    </section>
  );
}

function contentTypeOf(file: File, slot: ChecklistSlot): string | undefined {
  if (file.type && slot.accepts.includes(file.type)) return file.type;
  const extension = file.name.toLowerCase().split('.').pop() ?? '';
  return slot.accepts.find((type) => (FILE_EXTENSIONS[type] ?? '').split(',').includes(`.${extension}`));
}

function SlotRow(props: {
  slot: ChecklistSlot;
  view: CaseView;
  editable: boolean;
  reload: () => Promise<void>;
}) {
  const { slot, view } = props;
  const [uploading, setUploading] = useState<Uploading>();
  const items = view.evidence.filter((item) => item.slot === slot.slot);
  const current = items.filter((item) => !item.supersededBy);
  const accepted = current.some((item) => item.status === 'ACCEPTED');
  const inputId = `upload-${slot.slot}`;
  const roster = view.rosters[slot.slot];

  const upload = async (file: File) => {
    const contentType = contentTypeOf(file, slot);
    if (!contentType) {
      setUploading({
        fileName: file.name,
        fraction: 0,
        error: new Error(`此项只接受 ${acceptsText(slot)} 文件`),
      });
      return;
    }
    if (file.size > slot.maxBytes) {
      setUploading({
        fileName: file.name,
        fraction: 0,
        error: new Error(`文件超过此项上限 ${formatBytes(slot.maxBytes)}`),
      });
      return;
    }
    setUploading({ fileName: file.name, fraction: 0 });
    try {
      const target = await api<{ url: string; fields: Record<string, string> }>(
        'POST',
        `/v1/cases/${view.caseId}/uploads`,
        { body: { slot: slot.slot, fileName: file.name, contentType, size: file.size } },
      );
      await postToPresignedUrl(target, file, (fraction) => setUploading({ fileName: file.name, fraction }));
      setUploading(undefined);
      await props.reload();
    } catch (error) {
      setUploading({ fileName: file.name, fraction: 0, error });
    }
  };

  return (
    <li className="slot" data-slot={slot.slot}>
      <div className="slot-head">
        <h3>
          {slot.title}
          {slot.required ? <span className="tag">必需</span> : <span className="tag muted">选报</span>}
          {accepted ? <span className="tag ok">已接收</span> : null}
        </h3>
        <span className="hint">
          {acceptsText(slot)}，不超过 {formatBytes(slot.maxBytes)}
        </span>
      </div>
      {current.length > 0 || items.length > 0 ? (
        <ul className="files">
          {items.map((item) => (
            <EvidenceLine key={item.evidenceId} item={item} />
          ))}
        </ul>
      ) : null}
      {uploading ? (
        <div className="upload-progress">
          {uploading.error ? (
            <Problems title={`《${uploading.fileName}》上传失败`} error={uploading.error} />
          ) : (
            <>
              <label htmlFor={`${inputId}-progress`}>正在上传《{uploading.fileName}》</label>
              <progress id={`${inputId}-progress`} max={1} value={uploading.fraction}>
                {Math.round(uploading.fraction * 100)}%
              </progress>
              <span>{Math.round(uploading.fraction * 100)}%</span>
            </>
          )}
        </div>
      ) : null}
      {roster ? <RosterFigures stats={roster} /> : null}
      {roster?.errorReport ? <ErrorReportLink caseId={view.caseId} slot={slot.slot} /> : null}
      {props.editable ? (
        <div className="upload">
          <label htmlFor={inputId} className="button secondary">
            上传文件：{slot.title}
          </label>
          <input
            id={inputId}
            className="file-input"
            type="file"
            accept={slot.accepts.map((type) => `${type},${FILE_EXTENSIONS[type] ?? ''}`).join(',')}
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              if (file) void upload(file);
            }}
          />
        </div>
      ) : null}
    </li>
  );
}

/** The roster's full error list (IDs masked) through a short-lived download link the API issues. */
function ErrorReportLink(props: { caseId: string; slot: string }) {
  const [error, setError] = useState<unknown>();
  const open = async () => {
    setError(undefined);
    try {
      const { url } = await api<{ url: string }>(
        'GET',
        `/v1/cases/${props.caseId}/rosters/${encodeURIComponent(props.slot)}/error-report`,
      );
      location.assign(url);
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <div>
      <button type="button" className="link-button" onClick={() => void open()}>
        下载花名册问题清单（CSV，身份证号码已隐去）
      </button>
      {error ? <Problems title="问题清单下载失败" error={error} /> : null}
    </div>
  );
}

function EvidenceLine(props: { item: Evidence }) {
  const { item } = props;
  const progress = item.status === 'PENDING' && item.progress;
  return (
    <li className={item.supersededBy ? 'superseded' : undefined}>
      <span className="file-name">{item.fileName}</span>
      {item.size !== undefined ? <span className="hint"> {formatBytes(item.size)}</span> : null}{' '}
      <span className={`evidence-status evidence-${item.status.toLowerCase()}`}>
        {item.supersededBy ? '已被替换' : EVIDENCE_STATUS_NAMES[item.status]}
      </span>
      {item.status === 'REJECTED' && item.reason ? <span className="reason">原因：{item.reason}</span> : null}
      {progress ? (
        <span className="parse-progress">
          <progress
            max={100}
            value={progress.percent ?? undefined}
            aria-label={`《${item.fileName}》核验进度`}
          />
          已读 {progress.rowsRead} 行
          {progress.percent !== undefined ? `（${Math.round(progress.percent)}%）` : ''}
        </span>
      ) : null}
    </li>
  );
}

const ROSTER_FIGURES: [keyof RosterStats, string][] = [
  ['rows', '数据行'],
  ['validRows', '有效行'],
  ['invalidRows', '无效行'],
  ['duplicateRows', '重复行'],
  ['distinctPersons', '不重复人数'],
  ['trainedInYear', '本年度结业人数'],
  ['employedOfTrained', '其中已就业'],
  ['outputInYear', '本年度输出人数'],
  ['transferredSinceStart', '累计转移人数'],
];

export function RosterFigures(props: { stats: RosterStats | Record<string, number> }) {
  const stats = props.stats as RosterStats;
  return (
    <div className="roster">
      <dl className="figures">
        {ROSTER_FIGURES.filter(([key]) => typeof stats[key] === 'number').map(([key, label]) => (
          <div key={key}>
            <dt>{label}</dt>
            <dd>{String(stats[key])}</dd>
          </div>
        ))}
        {typeof stats.employmentRate === 'number' ? (
          <div>
            <dt>培训后就业率</dt>
            <dd>{formatPercent(stats.employmentRate)}</dd>
          </div>
        ) : null}
      </dl>
      {stats.errors && stats.errors.length > 0 ? (
        <details>
          <summary>花名册问题行（{stats.invalidRows ?? stats.errors.length} 行，身份证号码已隐去）</summary>
          <table>
            <thead>
              <tr>
                <th scope="col">行号</th>
                <th scope="col">列</th>
                <th scope="col">问题</th>
              </tr>
            </thead>
            <tbody>
              {stats.errors.slice(0, 50).map((error, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the server's list is shown whole and in its order, never reordered
                <tr key={`${error.row}-${i}`}>
                  <td>{error.row}</td>
                  <td>{error.column ?? ''}</td>
                  <td>{error.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </div>
  );
}

function SubmitSection(props: {
  view: CaseView;
  formHandle: RefObject<CaseFormHandle | null>;
  reload: () => Promise<void>;
}) {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const resubmit = props.view.status === 'SUPPLEMENT_REQUESTED';
  const submit = async () => {
    setError(undefined);
    setBusy(true);
    try {
      if (!(await props.formHandle.current?.saveIfDirty())) {
        setError(new Error('申报表有未通过校验的内容，请先修改'));
        return;
      }
      await api('POST', `/v1/cases/${props.view.caseId}/submit`);
      await props.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="submit-title">
      <h2 id="submit-title">{resubmit ? '补正后重新提交' : '提交申报'}</h2>
      {error ? (
        <Problems
          title={
            error instanceof ApiError && error.code === 'DEFECTS'
              ? `申报还有 ${error.details.length} 处问题需要处理（一次性告知）`
              : '未能提交'
          }
          error={error instanceof ApiError && error.code === 'DEFECTS' ? undefined : error}
          details={error instanceof ApiError ? error.details : []}
        />
      ) : null}
      <p>提交前系统会检查申报表、全部必需材料和花名册核验结果，所有问题一次列出。</p>
      <button type="button" onClick={() => void submit()} disabled={busy}>
        {busy ? '正在提交…' : resubmit ? '重新提交' : '提交申报'}
      </button>
    </section>
  );
}

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** What the API lets this case's readers download: the filled form (附件1/附件2) and the certificate. */
function Downloads(props: { view: CaseView }) {
  const { view } = props;
  const [error, setError] = useState<unknown>();
  const name =
    typeof view.form.name === 'string' && view.form.name ? view.form.name : view.caseId.slice(0, 8);
  const formName =
    view.kind === 'brand' ? '附件1 市级劳务品牌申报认定表' : '附件2 市级劳务协作基地申报认定表';
  return (
    <section className="card" aria-labelledby="downloads-title">
      <h2 id="downloads-title">下载</h2>
      {error ? <Problems title="下载失败" error={error} /> : null}
      <div className="actions">
        <button
          type="button"
          className="secondary"
          onClick={() =>
            download(
              `/v1/cases/${view.caseId}/forms/application.docx`,
              `${formName}-${name}.docx`,
              DOCX,
            ).catch(setError)
          }
        >
          下载申报认定表（Word，打印盖章用）
        </button>
        {view.status === 'CERTIFIED' ? (
          <button
            type="button"
            className="secondary"
            onClick={() =>
              download(
                `/v1/cases/${view.caseId}/certificate.svg`,
                `${name}-认定证书.svg`,
                'image/svg+xml',
              ).catch(setError)
            }
          >
            下载认定证书
          </button>
        ) : null}
      </div>
    </section>
  );
}

function Timeline(props: { view: CaseView }) {
  return (
    <section className="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">办理过程</h2>
      {props.view.timeline.length === 0 ? (
        <p>暂无记录。</p>
      ) : (
        <ol className="timeline">
          {props.view.timeline.map((entry, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the server's list is shown whole and in its order, never reordered
            <li key={`${entry.at}-${i}`}>
              <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>{' '}
              <strong>{statusName(entry.status)}</strong>
              {entry.action ? <span> · {actionName(entry.action)}</span> : null}
              <span className="hint">
                {' '}
                · {ACTOR_ROLE_NAMES[entry.role ?? ''] ?? entry.role ?? ''} {entry.actor}
              </span>
              {entry.note ? <div className="note">{noteText(entry.note, entry.action)}</div> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

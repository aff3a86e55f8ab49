import { type FormEvent, useState } from 'react';
import { api, type ChecklistSlot, currentRound, type Kind, type RoundView } from '../api';
import { useSession } from '../auth';
import {
  CONTENT_TYPE_NAMES,
  formatBytes,
  formatDate,
  formatDateTime,
  formatPercent,
  KIND_NAMES,
} from '../format';
import { navigate } from '../router';
import { Field, Loaded, Page, Problems, ShortId, useAsync } from '../ui';

/**
 * The API has no "my cases" list: a unit's cases are remembered in this browser, and a case number
 * from elsewhere can be opened directly.
 */
export interface RememberedCase {
  caseId: string;
  kind: Kind;
  name: string;
  createdAt: string;
}

const casesKey = (org: string) => `laowu.cases.${org}`;

export function rememberedCases(org: string): RememberedCase[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(casesKey(org)) ?? '[]');
    return Array.isArray(parsed) ? (parsed as RememberedCase[]) : [];
  } catch {
    return [];
  }
}

export function rememberCase(org: string, entry: RememberedCase): void {
  const others = rememberedCases(org).filter((item) => item.caseId !== entry.caseId);
  localStorage.setItem(casesKey(org), JSON.stringify([entry, ...others].slice(0, 50)));
}

export function ApplicantHome() {
  const session = useSession();
  const { result } = useAsync(currentRound, 'round');
  if (session?.role !== 'applicant') return <Problems title="仅申报单位可以申报" />;
  const org = session.org ?? '';
  return (
    <Page title="我的申报">
      <Loaded result={result} what="年度申报信息">
        {(round) => (
          <>
            <MyCases org={org} />
            <NewCase round={round} org={org} />
            <NoticeSummary round={round} />
          </>
        )}
      </Loaded>
    </Page>
  );
}

function MyCases(props: { org: string }) {
  const cases = rememberedCases(props.org);
  const [caseId, setCaseId] = useState('');
  return (
    <section className="card" aria-labelledby="my-cases">
      <h2 id="my-cases">已建立的申报</h2>
      {cases.length === 0 ? (
        <p>本浏览器中还没有申报记录。</p>
      ) : (
        <table>
          <caption className="visually-hidden">已建立的申报</caption>
          <thead>
            <tr>
              <th scope="col">名称</th>
              <th scope="col">类别</th>
              <th scope="col">建立时间</th>
              <th scope="col">申报编号</th>
            </tr>
          </thead>
          <tbody>
            {cases.map((item) => (
              <tr key={item.caseId}>
                <td>
                  <a href={`#/cases/${item.caseId}`}>{item.name || '（未命名）'}</a>
                </td>
                <td>{KIND_NAMES[item.kind]}</td>
                <td>{formatDateTime(item.createdAt)}</td>
                <td>
                  <ShortId id={item.caseId} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (caseId.trim()) navigate(`/cases/${caseId.trim()}`);
        }}
      >
        <Field label="按申报编号打开">
          {(control) => (
            <input {...control} value={caseId} onChange={(event) => setCaseId(event.target.value)} />
          )}
        </Field>
        <button type="submit" className="secondary">
          打开
        </button>
      </form>
    </section>
  );
}

function NewCase(props: { round: RoundView; org: string }) {
  const { round } = props;
  const [kind, setKind] = useState<Kind>(round.kinds[0] ?? 'brand');
  const [route, setRoute] = useState<'county' | 'direct'>('county');
  const [countyCode, setCountyCode] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const created = await api<{ caseId: string }>('POST', '/v1/cases', {
        body: {
          roundId: round.roundId,
          kind,
          route,
          ...(route === 'county' ? { countyCode: countyCode || round.counties[0]?.code } : {}),
          form: { ownerCreditCode: props.org },
        },
      });
      rememberCase(props.org, {
        caseId: created.caseId,
        kind,
        name: '',
        createdAt: new Date().toISOString(),
      });
      navigate(`/cases/${created.caseId}`);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="new-case">
      <h2 id="new-case">新建申报</h2>
      {error ? <Problems title="未能建立申报" error={error} /> : null}
      <form onSubmit={(event) => void create(event)}>
        <fieldset>
          <legend>申报类别</legend>
          {round.kinds.map((value) => (
            <label key={value} className="choice">
              <input type="radio" name="kind" checked={kind === value} onChange={() => setKind(value)} />
              市级{KIND_NAMES[value]}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>申报途径</legend>
          <label className="choice">
            <input
              type="radio"
              name="route"
              checked={route === 'county'}
              onChange={() => setRoute('county')}
            />
            属地推荐（经所在县（市、区）人社部门推荐）
          </label>
          <label className="choice">
            <input
              type="radio"
              name="route"
              checked={route === 'direct'}
              onChange={() => setRoute('direct')}
            />
            市直直接申报（市直单位）
          </label>
        </fieldset>
        {route === 'county' ? (
          <Field label="所在县（市、区）" required>
            {(control) => (
              <select {...control} value={countyCode} onChange={(event) => setCountyCode(event.target.value)}>
                {round.counties.map((county) => (
                  <option key={county.code} value={county.code}>
                    {county.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
        <button type="submit" disabled={busy}>
          {busy ? '正在建立…' : '建立申报'}
        </button>
      </form>
    </section>
  );
}

export function acceptsText(slot: ChecklistSlot): string {
  return slot.accepts.map((type) => CONTENT_TYPE_NAMES[type] ?? type).join('、');
}

function NoticeSummary(props: { round: RoundView }) {
  const { round } = props;
  const { brand, base } = round.thresholds;
  return (
    <section className="card" aria-labelledby="notice">
      <h2 id="notice">申报须知（{round.title}）</h2>
      <ul>
        <li>
          材料报送截止：<strong>{formatDate(Date.parse(round.deadline) - 1)}</strong>（以系统提交时间为准）。
        </li>
        <li>
          劳务品牌：{round.formYears.brand.at(-1)}年品牌培训不少于 {brand.trainedMin} 人，培训后就业率不低于{' '}
          {formatPercent(brand.employmentRateMin)}，劳务输出或带动就业不少于 {brand.outputMin} 人。
        </li>
        <li>
          劳务协作基地：自{formatDate(`${base.transferredSince}T00:00:00+08:00`)}
          起组织输出转移本地劳动力不少于 {base.transferredMin} 人。
        </li>
        <li>
          属地单位经所在县（市、区）人社部门初审推荐，平川县至少推荐1个，山区县力争推荐1个；市直单位直接向市人社局申报。
        </li>
        <li>
          拟认定名单公示不少于 {round.publicityWorkingDays}{' '}
          个工作日；同等条件下优先考虑与重点帮扶县、脱贫县结对的品牌和基地。
        </li>
      </ul>
      {round.kinds.map((kind) => (
        <div key={kind}>
          <h3>{KIND_NAMES[kind]}申报材料清单</h3>
          <table>
            <thead>
              <tr>
                <th scope="col">材料</th>
                <th scope="col">是否必需</th>
                <th scope="col">文件格式</th>
                <th scope="col">大小上限</th>
              </tr>
            </thead>
            <tbody>
              {round.checklist[kind].map((slot) => (
                <tr key={slot.slot}>
                  <td>{slot.title}</td>
                  <td>{slot.required ? '必需' : '选报'}</td>
                  <td>{acceptsText(slot)}</td>
                  <td>{formatBytes(slot.maxBytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}

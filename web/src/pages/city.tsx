import { type FormEvent, useState } from 'react';
import { ApiError, api, config, type Dashboard, download, type Kind, type RankingItem } from '../api';
import {
  formatDateTime,
  formatLastDay,
  KIND_NAMES,
  PAIRING_NAMES,
  STATUS_NAMES,
  TERRAIN_NAMES,
} from '../format';
import { Field, Loaded, Notice, Page, Problems, useAsync } from '../ui';

const score = (value: number | null) => (value === null ? '—' : String(Math.round(value * 100) / 100));

/** 择优确定候选名单: the proposed ranking, the city's choice, and the opinion when it departs from it. */
export function SelectionPage() {
  const roundId = config().roundId;
  const { result, reload } = useAsync(
    () => api<{ items: RankingItem[] }>('GET', `/v1/rounds/${roundId}/ranking`),
    'ranking',
  );
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [opinion, setOpinion] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<{ publicityStartsAt: string; publicityEndsAt: string; count: number }>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    if (chosen.size === 0) {
      setError(new Error('请至少选择一个申报列入候选名单'));
      return;
    }
    setBusy(true);
    try {
      const selection = await api<{ publicityStartsAt: string; publicityEndsAt: string }>(
        'POST',
        `/v1/rounds/${roundId}/selection`,
        { body: { caseIds: [...chosen], ...(opinion.trim() ? { opinion: opinion.trim() } : {}) } },
      );
      setMade({ ...selection, count: chosen.size });
      await reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page
      title="择优确定候选名单"
      lead="建议排序按专家考评组合计得分从高到低；得分相同的，与重点帮扶县结对的优先，其次为与脱贫县结对的（通知第四条）。"
    >
      {made ? (
        <Notice tone="success">
          已确定 {made.count} 个候选对象，公示期自 {formatDateTime(made.publicityStartsAt)} 至{' '}
          {formatLastDay(made.publicityEndsAt)}。<a href="#/publicity">查看公示名单</a>
        </Notice>
      ) : null}
      {error ? (
        <Problems
          title={
            error instanceof ApiError && error.code === 'OPINION_REQUIRED'
              ? '请填写择优意见'
              : '未能确定候选名单'
          }
          error={error}
        />
      ) : null}
      <Loaded result={result} what="建议排序">
        {({ items }) =>
          items.length === 0 ? (
            <Notice>目前没有等待择优的申报。</Notice>
          ) : (
            <form noValidate onSubmit={(event) => void submit(event)}>
              {(['brand', 'base'] as Kind[]).map((kind) => {
                const rows = items.filter((item) => item.kind === kind);
                if (rows.length === 0) return null;
                return (
                  <table key={kind} className="ranking">
                    <caption>{KIND_NAMES[kind]}建议排序</caption>
                    <thead>
                      <tr>
                        <th scope="col">列入</th>
                        <th scope="col">排序</th>
                        <th scope="col">名称</th>
                        <th scope="col">所属单位</th>
                        <th scope="col">县（市、区）</th>
                        <th scope="col">专家评审合计</th>
                        <th scope="col">评审专家数</th>
                        <th scope="col">实地考评得分</th>
                        <th scope="col">结对情况</th>
                      </tr>
                    </thead>
                    <tbody>
                      {rows.map((item) => (
                        <tr key={item.caseId}>
                          <td>
                            <input
                              type="checkbox"
                              aria-label={`列入候选名单：${item.name}`}
                              checked={chosen.has(item.caseId)}
                              onChange={(event) =>
                                setChosen((current) => {
                                  const next = new Set(current);
                                  if (event.target.checked) next.add(item.caseId);
                                  else next.delete(item.caseId);
                                  return next;
                                })
                              }
                            />
                          </td>
                          <td>{item.rank}</td>
                          <td>{item.name}</td>
                          <td>{item.ownerUnit}</td>
                          <td>{item.countyName ?? '市直'}</td>
                          <td>
                            {score(item.total)}
                            {item.spreadFlagged ? (
                              <span className="tag warning" title={`专家打分相差 ${item.spread} 分`}>
                                分差较大
                              </span>
                            ) : null}
                          </td>
                          <td>{item.experts}</td>
                          <td>{score(item.onsiteTotal)}</td>
                          <td>{PAIRING_NAMES[item.pairing] ?? item.pairing}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                );
              })}
              <Field label="择优意见" hint="与建议排序不一致时必须填写理由">
                {(control) => (
                  <textarea
                    {...control}
                    rows={3}
                    maxLength={2000}
                    value={opinion}
                    onChange={(event) => setOpinion(event.target.value)}
                  />
                )}
              </Field>
              <button type="submit" disabled={busy}>
                {busy ? '正在提交…' : `确定候选名单并公示（已选 ${chosen.size} 个）`}
              </button>
            </form>
          )
        }
      </Loaded>
    </Page>
  );
}

/** The recommendation floors: each plain county at least one, each mountain county striving for one. */
export function DashboardPage() {
  const roundId = config().roundId;
  const { result } = useAsync(() => api<Dashboard>('GET', `/v1/rounds/${roundId}/dashboard`), 'dashboard');
  return (
    <Page title="各县推荐情况" lead="平川县至少推荐1个，山区县力争推荐1个（通知第三条第二款）。">
      <Loaded result={result} what="推荐情况">
        {(dashboard) => (
          <>
            <section className="card" aria-labelledby="by-status">
              <h2 id="by-status">申报办理状态</h2>
              <dl className="figures">
                {Object.entries(dashboard.byStatus).map(([status, n]) => (
                  <div key={status}>
                    <dt>{STATUS_NAMES[status] ?? status}</dt>
                    <dd>{n}</dd>
                  </div>
                ))}
              </dl>
            </section>
            <table>
              <caption>各县（市、区）推荐数</caption>
              <thead>
                <tr>
                  <th scope="col">县（市、区）</th>
                  <th scope="col">类型</th>
                  <th scope="col">已推荐</th>
                  <th scope="col">要求</th>
                  <th scope="col">情况</th>
                </tr>
              </thead>
              <tbody>
                {dashboard.counties.map((county) => (
                  <tr key={county.code} className={county.meetsFloor ? undefined : 'overdue'}>
                    <td>{county.name}</td>
                    <td>{TERRAIN_NAMES[county.terrain]}</td>
                    <td>{county.recommended}</td>
                    <td>
                      {county.terrain === 'plain' ? `至少 ${county.floor} 个` : `力争 ${county.target} 个`}
                    </td>
                    <td>
                      {!county.meetsFloor ? (
                        <span className="tag danger">未达到要求</span>
                      ) : county.recommended < county.target ? (
                        <span className="tag warning">尚未推荐</span>
                      ) : (
                        <span className="tag ok">已达到</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Loaded>
    </Page>
  );
}

interface FeedItem {
  certificateNo: string;
  kind: Kind;
  name: string;
  ownerUnit: string;
  certifiedAt: string;
  recommendedToProvince: boolean;
}

/** The province's view of the certified list (the feed of API.md), with the CSV download. */
export function ProvincePage() {
  const roundId = config().roundId;
  const { result } = useAsync(
    () => api<{ items: FeedItem[] }>('GET', `/v1/feed/certified?roundId=${encodeURIComponent(roundId)}`),
    'feed',
  );
  const [error, setError] = useState<unknown>();
  return (
    <Page title="市级认定名单">
      {error ? <Problems title="下载失败" error={error} /> : null}
      <Loaded result={result} what="认定名单">
        {({ items }) => (
          <>
            <p>
              <button
                type="button"
                className="secondary"
                onClick={() =>
                  download(
                    `/v1/feed/certified?roundId=${roundId}`,
                    `认定名单-${roundId}.csv`,
                    'text/csv',
                  ).catch(setError)
                }
              >
                下载 CSV
              </button>{' '}
              <button
                type="button"
                className="secondary"
                onClick={() =>
                  download(
                    `/v1/feed/certified?roundId=${roundId}`,
                    `认定名单-${roundId}.xlsx`,
                    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
                  ).catch(setError)
                }
              >
                下载 Excel
              </button>
            </p>
            <table>
              <thead>
                <tr>
                  <th scope="col">证书编号</th>
                  <th scope="col">类别</th>
                  <th scope="col">名称</th>
                  <th scope="col">所属单位</th>
                  <th scope="col">认定时间</th>
                  <th scope="col">推荐省级</th>
                </tr>
              </thead>
              <tbody>
                {items.map((item) => (
                  <tr key={item.certificateNo}>
                    <td className="mono">{item.certificateNo}</td>
                    <td>{KIND_NAMES[item.kind]}</td>
                    <td>{item.name}</td>
                    <td>{item.ownerUnit}</td>
                    <td>{formatDateTime(item.certifiedAt)}</td>
                    <td>{item.recommendedToProvince ? '是' : '否'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Loaded>
    </Page>
  );
}

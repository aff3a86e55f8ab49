import { type FormEvent, useState } from 'react';
import { validateMobile } from '#shared/ids/mobile';
import { validateOfficePhone } from '#shared/ids/office-phone';
import { countCharacters } from '#shared/ids/text';
import { ApiError, api, type Certificate, config, type Publicity } from '../api';
import { formatDate, formatDateTime, formatLastDay, KIND_NAMES } from '../format';
import { navigate } from '../router';
import { Field, Loaded, Notice, Page, Problems, useAsync } from '../ui';

export function PublicityPage() {
  const roundId = config().roundId;
  const { result } = useAsync(async () => {
    try {
      return await api<Publicity>('GET', `/v1/rounds/${roundId}/publicity`, { anonymous: true });
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return undefined;
      throw error;
    }
  }, 'publicity');
  const [objectTo, setObjectTo] = useState<string>();
  return (
    <Page title={`${roundId}年度市级劳务品牌、劳务协作基地拟认定名单公示`}>
      <Loaded result={result} what="公示名单">
        {(publicity) =>
          !publicity ? (
            <Notice>本年度候选名单尚未公示。</Notice>
          ) : (
            <>
              <p className="window">
                公示期：{formatDate(publicity.publicityStartsAt)}至{formatLastDay(publicity.publicityEndsAt)}
                。
                {publicity.open === false ? (
                  <strong> 公示期已结束，不再受理异议。</strong>
                ) : (
                  <span> 对公示对象有异议的，请在公示期内实名提出。</span>
                )}
              </p>
              <table>
                <caption className="visually-hidden">拟认定名单</caption>
                <thead>
                  <tr>
                    <th scope="col">序号</th>
                    <th scope="col">类别</th>
                    <th scope="col">名称</th>
                    <th scope="col">所属单位</th>
                    <th scope="col">县（市、区）</th>
                    {publicity.open !== false ? <th scope="col">异议</th> : null}
                  </tr>
                </thead>
                <tbody>
                  {publicity.items.map((item, i) => (
                    <tr key={item.caseId}>
                      <td>{i + 1}</td>
                      <td>{KIND_NAMES[item.kind]}</td>
                      <td>{item.name}</td>
                      <td>{item.ownerUnit}</td>
                      <td>{item.countyName ?? '市直'}</td>
                      {publicity.open !== false ? (
                        <td>
                          <button
                            type="button"
                            className="link-button"
                            aria-label={`对“${item.name}”提出异议`}
                            onClick={() => setObjectTo(item.caseId)}
                          >
                            提出异议
                          </button>
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
              {objectTo && publicity.open !== false ? (
                <ObjectionForm
                  key={objectTo}
                  roundId={roundId}
                  publicity={publicity}
                  caseId={objectTo}
                  onCancel={() => setObjectTo(undefined)}
                />
              ) : null}
            </>
          )
        }
      </Loaded>
    </Page>
  );
}

function phoneError(input: string): string | undefined {
  if (!input.trim()) return '请填写联系电话';
  if (validateMobile(input).ok || validateOfficePhone(input).ok) return undefined;
  return '请填写有效的手机号码或固定电话';
}

function ObjectionForm(props: {
  roundId: string;
  publicity: Publicity;
  caseId: string;
  onCancel: () => void;
}) {
  const item = props.publicity.items.find((candidate) => candidate.caseId === props.caseId);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [received, setReceived] = useState<string>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const reasonLength = countCharacters(reason.trim());
    const next = {
      name: countCharacters(name.trim()) < 2 ? '请填写真实姓名' : undefined,
      phone: phoneError(phone),
      reason:
        reasonLength < 5
          ? '请写明异议理由（至少5个字）'
          : reasonLength > 2000
            ? '异议理由不能超过2000字'
            : undefined,
    };
    setErrors(next);
    if (Object.values(next).some(Boolean)) return;
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api<{ objectionId: string }>('POST', `/v1/rounds/${props.roundId}/objections`, {
        anonymous: true,
        body: { caseId: props.caseId, name: name.trim(), phone: phone.trim(), reason: reason.trim() },
      });
      setReceived(answer.objectionId);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  if (received)
    return (
      <Notice tone="success">
        已收到您对“{item?.name}”的异议，受理编号 <span className="mono">{received}</span>
        。市人社局将在公示期结束后核查并处理。
      </Notice>
    );

  return (
    <section className="card" aria-labelledby="objection-title">
      <h2 id="objection-title">对“{item?.name}”提出异议</h2>
      <p className="hint">异议须实名提出；您的姓名和电话仅用于核查联系，不会公开。</p>
      {error ? <Problems title="异议未能提交" error={error} /> : null}
      <form noValidate onSubmit={(event) => void submit(event)}>
        <Field label="真实姓名" required error={errors.name}>
          {(control) => (
            <input
              {...control}
              value={name}
              autoComplete="name"
              maxLength={50}
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <Field label="联系电话" required error={errors.phone}>
          {(control) => (
            <input
              {...control}
              type="tel"
              value={phone}
              autoComplete="tel"
              maxLength={30}
              onChange={(e) => {
                setPhone(e.target.value);
                if (errors.phone) setErrors((current) => ({ ...current, phone: phoneError(e.target.value) }));
              }}
            />
          )}
        </Field>
        <Field label="异议理由" required error={errors.reason} hint="请写明具体事实，可附联系方式以便核查">
          {(control) => (
            <textarea
              {...control}
              rows={5}
              value={reason}
              onChange={(e) => {
                setReason(e.target.value);
                setErrors((current) => ({ ...current, reason: undefined }));
              }}
            />
          )}
        </Field>
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? '正在提交…' : '提交异议'}
          </button>
          <button type="button" className="secondary" onClick={props.onCancel}>
            取消
          </button>
        </div>
      </form>
    </section>
  );
}

/** What the certificate's QR code opens: `#/verify/<number>`. */
export function CertificatePage(props: { certificateNo?: string }) {
  const [input, setInput] = useState(props.certificateNo ?? '');
  const number = props.certificateNo;
  const { result } = useAsync(async () => {
    if (!number) return undefined;
    try {
      return await api<Certificate>('GET', `/v1/certificates/${encodeURIComponent(number)}`, {
        anonymous: true,
      });
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 400)) return error;
      throw error;
    }
  }, number ?? '');
  return (
    <Page title="证书查验">
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (input.trim()) navigate(`/verify/${encodeURIComponent(input.trim().toUpperCase())}`);
        }}
      >
        <Field label="证书编号" hint="如 LF-2021-PP-001">
          {(control) => (
            <input {...control} value={input} onChange={(event) => setInput(event.target.value)} />
          )}
        </Field>
        <button type="submit">查验</button>
      </form>
      {number ? (
        <Loaded result={result} what="查验结果">
          {(answer) =>
            answer instanceof ApiError ? (
              <Problems title="查无此证" error={answer} />
            ) : answer ? (
              <section
                className={`card certificate ${answer.valid ? 'valid' : 'invalid'}`}
                aria-labelledby="cert-result"
              >
                <h2 id="cert-result">{answer.valid ? '证书有效' : '证书已撤销，无效'}</h2>
                <dl className="pairs">
                  <div>
                    <dt>证书编号</dt>
                    <dd className="mono">{answer.certificateNo}</dd>
                  </div>
                  <div>
                    <dt>类别</dt>
                    <dd>市级{KIND_NAMES[answer.kind]}</dd>
                  </div>
                  <div>
                    <dt>名称</dt>
                    <dd>{answer.name}</dd>
                  </div>
                  <div>
                    <dt>所属单位</dt>
                    <dd>{answer.ownerUnit}</dd>
                  </div>
                  <div>
                    <dt>认定年度</dt>
                    <dd>{answer.roundId}年度</dd>
                  </div>
                  <div>
                    <dt>认定时间</dt>
                    <dd>{formatDateTime(answer.certifiedAt)}</dd>
                  </div>
                  {answer.revokedAt ? (
                    <div>
                      <dt>撤销时间</dt>
                      <dd>{formatDateTime(answer.revokedAt)}</dd>
                    </div>
                  ) : null}
                </dl>
              </section>
            ) : null
          }
        </Loaded>
      ) : null}
    </Page>
  );
}

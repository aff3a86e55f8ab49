import { type Ref, useImperativeHandle, useState } from 'react';
import type { z } from 'zod';
import { count, mobile, officePhone, PAIRING_STATUSES, text } from '#shared/forms/fields';
import { FORM_LIMITS } from '#shared/forms/schemas';
import { countCharacters } from '#shared/ids/text';
import { ApiError, api, type CaseView, type ErrorDetail, type Kind, type RoundView } from '../api';
import { FORM_NAMES, PAIRING_NAMES } from '../format';
import { Field, Notice, Problems } from '../ui';

/**
 * The application form (附件1 for a brand, 附件2 for a base). Each field is checked with the very
 * field schema the API uses (shared/forms/fields.ts), so a message in the browser is the message the
 * server would give; lengths count characters (code points) like the notice's "≤ 2000 字".
 */

type Values = Record<string, string>;

interface FieldSpec {
  key: string;
  label: string;
  schema: z.ZodType;
  kind: 'text' | 'textarea' | 'tel' | 'count';
  max?: number;
  hint?: string;
}

function labels(kind: Kind) {
  return kind === 'brand'
    ? { name: '品牌名称', output: '品牌劳务输出人数', introduction: '品牌情况介绍' }
    : { name: '基地名称', output: '劳务输出人数', introduction: '协作基地概况' };
}

export function fieldSpecs(round: RoundView, kind: Kind): FieldSpec[] {
  const l = labels(kind);
  const years = round.formYears[kind];
  const counts = (key: string, label: string): FieldSpec[] =>
    years.map((year) => ({
      key: `${key}.${year}`,
      label: `${year}年${label}`,
      schema: count(`${year}年${label}`),
      kind: 'count',
    }));
  return [
    {
      key: 'name',
      label: l.name,
      schema: text(l.name, FORM_LIMITS.name),
      kind: 'text',
      max: FORM_LIMITS.name,
    },
    {
      key: 'ownerUnit',
      label: '所属单位',
      schema: text('所属单位', FORM_LIMITS.ownerUnit),
      kind: 'text',
      max: FORM_LIMITS.ownerUnit,
    },
    {
      key: 'address',
      label: '单位地址',
      schema: text('单位地址', FORM_LIMITS.address),
      kind: 'text',
      max: FORM_LIMITS.address,
    },
    {
      key: 'leader',
      label: '负责人',
      schema: text('负责人', FORM_LIMITS.leader),
      kind: 'text',
      max: FORM_LIMITS.leader,
    },
    { key: 'officePhone', label: '办公电话', schema: officePhone(), kind: 'tel', hint: '如 0357-6221234' },
    { key: 'mobile', label: '手机', schema: mobile(), kind: 'tel' },
    ...(kind === 'brand' ? counts('trained', '品牌培训人数') : []),
    ...counts('output', l.output),
    {
      key: 'introduction',
      label: l.introduction,
      schema: text(l.introduction, FORM_LIMITS.introduction),
      kind: 'textarea',
      max: FORM_LIMITS.introduction,
      hint: `不超过${FORM_LIMITS.introduction}字`,
    },
  ];
}

const pairingSpecs = [
  { key: 'pairing.county', label: '结对县名称', schema: text('结对县名称', 50) },
  { key: 'pairing.province', label: '结对县所在省份', schema: text('结对县所在省份', 20) },
];

/** The form as the API holds it → one string per input. */
function toValues(form: Record<string, unknown>): Values {
  const values: Values = {};
  for (const [key, value] of Object.entries(form)) {
    if (value && typeof value === 'object') {
      for (const [inner, innerValue] of Object.entries(value))
        values[`${key}.${inner}`] = String(innerValue ?? '');
    } else if (value !== undefined && value !== null) values[key] = String(value);
  }
  return values;
}

/** The inputs → the form's JSON: empty inputs left out (a draft may be incomplete), counts as numbers. */
function toForm(values: Values, specs: FieldSpec[], ownerCreditCode: string): Record<string, unknown> {
  const form: Record<string, unknown> = { ownerCreditCode };
  const put = (key: string, value: unknown) => {
    const [outer, inner] = key.split('.') as [string, string | undefined];
    if (inner === undefined) form[outer] = value;
    else form[outer] = { ...((form[outer] as Record<string, unknown> | undefined) ?? {}), [inner]: value };
  };
  for (const spec of specs) {
    const raw = (values[spec.key] ?? '').trim();
    if (!raw) continue;
    put(spec.key, spec.kind === 'count' ? Number(raw) : raw);
  }
  if (values['pairing.status']) {
    put('pairing.status', values['pairing.status']);
    for (const spec of pairingSpecs) put(spec.key, (values[spec.key] ?? '').trim());
  }
  return form;
}

function check(schema: z.ZodType, raw: string, isCount: boolean): string | undefined {
  const value = isCount ? (raw.trim() === '' ? undefined : Number(raw)) : raw;
  if (value === undefined || (typeof value === 'number' && Number.isNaN(value)))
    return isCount && raw.trim() !== '' ? '请填写数字' : undefined;
  const parsed = schema.safeParse(value);
  return parsed.success ? undefined : parsed.error.issues[0]?.message;
}

export interface CaseFormHandle {
  /** Saves unsaved changes (if any); resolves to false when the form has errors. */
  saveIfDirty(): Promise<boolean>;
}

export function CaseForm(props: {
  caseView: CaseView;
  round: RoundView;
  editable: boolean;
  onSaved: () => Promise<void> | void;
  handle?: Ref<CaseFormHandle>;
}) {
  const { caseView, round } = props;
  const specs = fieldSpecs(round, caseView.kind);
  const ownerCreditCode = String(caseView.form.ownerCreditCode ?? '');
  const [values, setValues] = useState<Values>(() => toValues(caseView.form));
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>();
  const [saved, setSaved] = useState(false);

  const validateAll = (): boolean => {
    const next: Record<string, string | undefined> = {};
    for (const spec of specs) {
      const raw = values[spec.key] ?? '';
      if (raw.trim()) next[spec.key] = check(spec.schema, raw, spec.kind === 'count');
    }
    if (values['pairing.status'])
      for (const spec of pairingSpecs) next[spec.key] = check(spec.schema, values[spec.key] ?? '', false);
    setErrors(next);
    return Object.values(next).every((message) => !message);
  };

  const save = async (): Promise<boolean> => {
    setSaved(false);
    setSaveError(undefined);
    if (!validateAll()) return false;
    setSaving(true);
    try {
      await api('PUT', `/v1/cases/${caseView.caseId}/form`, {
        body: { form: toForm(values, specs, ownerCreditCode) },
        headers: { 'if-match': `"${caseView.version}"` },
      });
      setDirty(false);
      setSaved(true);
      await props.onSaved();
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.details.length > 0) setErrors(fieldErrors(error.details));
      setSaveError(
        error instanceof ApiError && error.status === 409
          ? new Error('申报已在别处修改或状态已变化，请刷新页面后再改')
          : error,
      );
      return false;
    } finally {
      setSaving(false);
    }
  };

  useImperativeHandle(props.handle, () => ({ saveIfDirty: () => (dirty ? save() : Promise.resolve(true)) }));

  // An error shown is re-checked as the person types, so it goes as soon as the value is right; a new
  // error waits for the field to lose focus. (Clearing on blur would move the layout under the pointer.)
  const set = (key: string, value: string) => {
    setValues((current) => ({ ...current, [key]: value }));
    setDirty(true);
    setSaved(false);
    if (errors[key]) {
      const spec = [...specs, ...pairingSpecs].find((candidate) => candidate.key === key);
      if (spec) {
        const isCount = 'kind' in spec && spec.kind === 'count';
        setErrors((current) => ({
          ...current,
          [key]: value.trim() ? check(spec.schema, value, isCount) : undefined,
        }));
      }
    }
  };
  const blur = (spec: { key: string; schema: z.ZodType }, isCount: boolean) => {
    const raw = values[spec.key] ?? '';
    setErrors((current) => ({
      ...current,
      [spec.key]: raw.trim() ? check(spec.schema, raw, isCount) : undefined,
    }));
  };

  if (!props.editable) return <FormReadOnly caseView={caseView} specs={specs} />;

  return (
    <section className="card" aria-labelledby="form-title">
      <h2 id="form-title">{FORM_NAMES[caseView.kind]}</h2>
      {saveError ? <Problems title="申报表未能保存" error={saveError} /> : null}
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <div className="field">
          <span className="label">统一社会信用代码</span>
          <span className="mono">{ownerCreditCode}</span>
          <span className="hint">（登录单位，不可修改）</span>
        </div>
        <div className="form-grid">
          {specs.map((spec) => (
            <Field
              key={spec.key}
              label={spec.label}
              required
              error={errors[spec.key]}
              hint={
                spec.kind === 'textarea' ? (
                  <CharacterCount value={values[spec.key] ?? ''} max={spec.max ?? 0} />
                ) : (
                  spec.hint
                )
              }
            >
              {(control) =>
                spec.kind === 'textarea' ? (
                  <textarea
                    {...control}
                    rows={8}
                    value={values[spec.key] ?? ''}
                    onChange={(event) => set(spec.key, event.target.value)}
                    onBlur={() => blur(spec, false)}
                  />
                ) : (
                  <input
                    {...control}
                    type={spec.kind === 'count' ? 'text' : spec.kind === 'tel' ? 'tel' : 'text'}
                    inputMode={spec.kind === 'count' ? 'numeric' : undefined}
                    value={values[spec.key] ?? ''}
                    onChange={(event) => set(spec.key, event.target.value)}
                    onBlur={() => blur(spec, spec.kind === 'count')}
                  />
                )
              }
            </Field>
          ))}
        </div>
        <fieldset>
          <legend>结对情况（选填；同等条件下优先）</legend>
          <Field label="结对县类型">
            {(control) => (
              <select
                {...control}
                value={values['pairing.status'] ?? ''}
                onChange={(event) => set('pairing.status', event.target.value)}
              >
                <option value="">无结对</option>
                {PAIRING_STATUSES.map((status) => (
                  <option key={status} value={status}>
                    {PAIRING_NAMES[status]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {values['pairing.status']
            ? pairingSpecs.map((spec) => (
                <Field key={spec.key} label={spec.label} required error={errors[spec.key]}>
                  {(control) => (
                    <input
                      {...control}
                      value={values[spec.key] ?? ''}
                      onChange={(event) => set(spec.key, event.target.value)}
                      onBlur={() => blur(spec, false)}
                    />
                  )}
                </Field>
              ))
            : null}
        </fieldset>
        <div className="actions">
          <button type="submit" disabled={saving}>
            {saving ? '正在保存…' : '保存申报表'}
          </button>
          {saved ? <Notice tone="success">申报表已保存</Notice> : null}
          {dirty && !saving ? <span className="hint">有未保存的修改</span> : null}
        </div>
      </form>
    </section>
  );
}

function CharacterCount(props: { value: string; max: number }) {
  const used = countCharacters(props.value.trim());
  return (
    <span className={used > props.max ? 'error-text' : undefined}>
      已输入 {used} / {props.max} 字
    </span>
  );
}

/** `form.trained.2021` → `trained.2021`: the API's defect paths name the same inputs. */
function fieldErrors(details: ErrorDetail[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const detail of details) {
    const key = detail.path.replace(/^(body\.)?form\./, '');
    errors[key] ??= detail.message;
  }
  return errors;
}

function FormReadOnly(props: { caseView: CaseView; specs: FieldSpec[] }) {
  const values = toValues(props.caseView.form);
  return (
    <section className="card" aria-labelledby="form-title">
      <h2 id="form-title">{FORM_NAMES[props.caseView.kind]}</h2>
      <dl className="pairs">
        <div>
          <dt>统一社会信用代码</dt>
          <dd className="mono">{values.ownerCreditCode ?? '—'}</dd>
        </div>
        {props.specs.map((spec) => (
          <div key={spec.key} className={spec.kind === 'textarea' ? 'wide' : undefined}>
            <dt>{spec.label}</dt>
            <dd className={spec.kind === 'textarea' ? 'prose' : undefined}>{values[spec.key] || '—'}</dd>
          </div>
        ))}
        {values['pairing.status'] ? (
          <div>
            <dt>结对情况</dt>
            <dd>
              {PAIRING_NAMES[values['pairing.status']] ?? values['pairing.status']}：
              {values['pairing.province']}
              {values['pairing.county']}
            </dd>
          </div>
        ) : null}
      </dl>
    </section>
  );
}

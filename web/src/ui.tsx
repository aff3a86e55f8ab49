import { type ReactNode, useCallback, useEffect, useId, useRef, useState } from 'react';
import { ApiError, type ErrorDetail } from './api';
import { statusName } from './format';

/** Sets the document title and moves focus to the page heading, so a screen reader hears the new page. */
export function Page(props: { title: string; children: ReactNode; lead?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${props.title} - 临汾市劳务品牌、劳务协作基地申报认定`;
    heading.current?.focus();
  }, [props.title]);
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1} ref={heading}>
        {props.title}
      </h1>
      {props.lead ? <p className="lead">{props.lead}</p> : null}
      {props.children}
    </section>
  );
}

/** A labelled control with its hint and its error, wired for assistive technology. */
export function Field(props: {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  required?: boolean;
  children: (control: {
    id: string;
    'aria-describedby'?: string;
    'aria-invalid'?: boolean;
    'aria-required'?: boolean;
  }) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [props.hint ? hintId : '', props.error ? errorId : ''].filter(Boolean).join(' ');
  return (
    <div className={props.error ? 'field field-error' : 'field'}>
      <div className="label-row">
        <label htmlFor={id}>{props.label}</label>
        {props.required ? (
          <span className="required" aria-hidden="true">
            *
          </span>
        ) : null}
      </div>
      {props.hint ? (
        <div className="hint" id={hintId}>
          {props.hint}
        </div>
      ) : null}
      {props.children({
        id,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(props.error ? { 'aria-invalid': true } : {}),
        ...(props.required ? { 'aria-required': true } : {}),
      })}
      {props.error ? (
        <div className="error-text" id={errorId}>
          {props.error}
        </div>
      ) : null}
    </div>
  );
}

/** An error or a defect list (一次性告知), announced and focused when it appears. */
export function Problems(props: { title: string; error?: unknown; details?: ErrorDetail[] }) {
  const box = useRef<HTMLDivElement>(null);
  const details = props.details ?? (props.error instanceof ApiError ? props.error.details : []);
  const message =
    props.error instanceof Error ? props.error.message : props.error ? String(props.error) : undefined;
  useEffect(() => {
    box.current?.focus();
  }, []);
  return (
    <div className="problems" role="alert" tabIndex={-1} ref={box}>
      <h2>{props.title}</h2>
      {message ? <p>{message}</p> : null}
      {details.length > 0 ? (
        <ol>
          {details.map((detail, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the server's list is shown whole and in its order, never reordered
            <li key={`${detail.path}-${detail.code}-${i}`}>{detail.message}</li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}

export function Notice(props: { children: ReactNode; tone?: 'info' | 'success' | 'warning' }) {
  return (
    <div className={`notice notice-${props.tone ?? 'info'}`} role="status">
      {props.children}
    </div>
  );
}

export function StatusBadge(props: { status: string }) {
  return <span className={`badge badge-${props.status.toLowerCase()}`}>{statusName(props.status)}</span>;
}

export function Loading(props: { label?: string }) {
  return (
    <p className="loading" role="status">
      {props.label ?? '正在加载…'}
    </p>
  );
}

export type AsyncState<T> =
  | { state: 'loading' }
  | { state: 'error'; error: unknown }
  | { state: 'done'; value: T };

/** Loads once per `key` change; `reload()` fetches again and keeps showing the old value meanwhile. */
export function useAsync<T>(load: () => Promise<T>, key: string) {
  const [result, setResult] = useState<AsyncState<T>>({ state: 'loading' });
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(async () => {
    try {
      const value = await loadRef.current();
      setResult({ state: 'done', value });
    } catch (error) {
      setResult({ state: 'error', error });
    }
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names what to load; a new key loads again
  useEffect(() => {
    setResult({ state: 'loading' });
    void reload();
  }, [key, reload]);
  return { result, reload };
}

/** Renders a loaded value, or the loading line, or the error. */
export function Loaded<T>(props: {
  result: AsyncState<T>;
  children: (value: T) => ReactNode;
  what?: string;
}) {
  if (props.result.state === 'loading') return <Loading />;
  if (props.result.state === 'error')
    return <Problems title={`${props.what ?? '内容'}加载失败`} error={props.result.error} />;
  return <>{props.children(props.result.value)}</>;
}

export function ShortId(props: { id: string }) {
  return (
    <span className="mono" title={props.id}>
      {props.id.slice(0, 8)}
    </span>
  );
}

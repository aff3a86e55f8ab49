import { type FormEvent, useState } from 'react';
import { validateCreditCode } from '#shared/ids/credit-code';
import { config, currentRound, type Role } from '../api';
import { signInLocally, startOidcSignIn } from '../auth';
import { ROLE_NAMES } from '../format';
import { navigate } from '../router';
import { Field, Loaded, Page, Problems, useAsync } from '../ui';

const HOME: Record<Role, string> = {
  applicant: '/apply',
  county: '/tasks',
  city: '/tasks',
  expert: '/tasks',
  province: '/province',
};

export function SignInPage() {
  if (config().auth.mode === 'oidc') return <OidcSignIn />;
  return <LocalSignIn />;
}

function OidcSignIn() {
  const [error, setError] = useState<unknown>();
  return (
    <Page title="登录">
      {error ? <Problems title="登录失败" error={error} /> : null}
      <p>
        请使用统一身份认证账号登录。登录后系统按您的身份（申报单位、县市人社部门、评审专家等）显示相应功能。
      </p>
      <button type="button" onClick={() => startOidcSignIn().catch(setError)}>
        使用统一身份认证登录
      </button>
    </Page>
  );
}

/** The local runtime's role picker: a token from the development issuer for the chosen identity. */
function LocalSignIn() {
  const { result } = useAsync(currentRound, 'round');
  const [role, setRole] = useState<Role>('applicant');
  const [org, setOrg] = useState('');
  const [county, setCounty] = useState('');
  const [expert, setExpert] = useState('');
  const [name, setName] = useState('');
  const [orgError, setOrgError] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent, panel: string[], firstCounty: string) => {
    event.preventDefault();
    setError(undefined);
    if (role === 'applicant') {
      const checked = validateCreditCode(org);
      if (!checked.ok) {
        setOrgError(checked.message);
        return;
      }
    }
    setBusy(true);
    try {
      await signInLocally({
        role,
        ...(role === 'applicant' ? { org: validCode(org) } : {}),
        ...(role === 'county' ? { county: county || firstCounty } : {}),
        ...(role === 'expert' ? { sub: expert || panel[0] } : {}),
        ...((role === 'city' || role === 'province') && name.trim() ? { sub: name.trim() } : {}),
      });
      navigate(HOME[role]);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title="登录" lead="本地运行环境：选择身份登录（部署后使用统一身份认证）。">
      {error ? <Problems title="登录失败" error={error} /> : null}
      <Loaded result={result} what="年度申报信息">
        {(round) => (
          <form
            className="card narrow"
            noValidate
            onSubmit={(event) => void submit(event, round.panel, round.counties[0]?.code ?? '')}
          >
            <fieldset>
              <legend>身份</legend>
              {(Object.keys(ROLE_NAMES) as Role[]).map((value) => (
                <label key={value} className="choice">
                  <input
                    type="radio"
                    name="role"
                    value={value}
                    checked={role === value}
                    onChange={() => setRole(value)}
                  />
                  {ROLE_NAMES[value]}
                </label>
              ))}
            </fieldset>
            {role === 'applicant' ? (
              <Field
                label="统一社会信用代码"
                required
                error={orgError}
                hint="18位，申报单位营业执照或登记证书上的代码"
              >
                {(control) => (
                  <input
                    {...control}
                    value={org}
                    autoComplete="off"
                    maxLength={24}
                    onChange={(event) => {
                      setOrg(event.target.value);
                      setOrgError(undefined);
                    }}
                    onBlur={() => {
                      const checked = validateCreditCode(org);
                      setOrgError(org && !checked.ok ? checked.message : undefined);
                    }}
                  />
                )}
              </Field>
            ) : null}
            {role === 'county' ? (
              <Field label="县（市、区）" required>
                {(control) => (
                  <select {...control} value={county} onChange={(event) => setCounty(event.target.value)}>
                    {round.counties.map((c) => (
                      <option key={c.code} value={c.code}>
                        {c.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ) : null}
            {role === 'expert' ? (
              <Field label="专家编号" required hint="本年度专家考评组成员">
                {(control) => (
                  <select {...control} value={expert} onChange={(event) => setExpert(event.target.value)}>
                    {round.panel.map((id) => (
                      <option key={id} value={id}>
                        {id}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ) : null}
            {role === 'city' || role === 'province' ? (
              <Field label="经办人" hint="选填，记入办理意见的签名">
                {(control) => (
                  <input
                    {...control}
                    value={name}
                    maxLength={64}
                    onChange={(event) => setName(event.target.value)}
                  />
                )}
              </Field>
            ) : null}
            <button type="submit" disabled={busy}>
              {busy ? '正在登录…' : '登录'}
            </button>
          </form>
        )}
      </Loaded>
    </Page>
  );
}

function validCode(input: string): string {
  const checked = validateCreditCode(input);
  return checked.ok ? checked.value : input;
}

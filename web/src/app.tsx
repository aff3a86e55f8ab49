import type { ReactNode } from 'react';
import { type Session, signOut, useSession } from './auth';
import { ROLE_NAMES } from './format';
import { ApplicantHome } from './pages/applicant';
import { CasePage } from './pages/case-page';
import { DashboardPage, ProvincePage, SelectionPage } from './pages/city';
import { HomePage } from './pages/home';
import { CertificatePage, PublicityPage } from './pages/public';
import { SignInPage } from './pages/signin';
import { TaskInbox, TaskPage } from './pages/tasks';
import { match, navigate, usePath } from './router';

interface NavLink {
  href: string;
  label: string;
}

function linksFor(session: Session | undefined): NavLink[] {
  const common = [
    { href: '/publicity', label: '公示名单' },
    { href: '/verify', label: '证书查验' },
  ];
  switch (session?.role) {
    case 'applicant':
      return [{ href: '/apply', label: '我的申报' }, ...common];
    case 'county':
      return [{ href: '/tasks', label: '待办' }, ...common];
    case 'city':
      return [
        { href: '/tasks', label: '待办' },
        { href: '/selection', label: '择优确定' },
        { href: '/dashboard', label: '推荐情况' },
        ...common,
      ];
    case 'expert':
      return [{ href: '/tasks', label: '评审待办' }, ...common];
    case 'province':
      return [{ href: '/province', label: '认定名单' }, ...common];
    default:
      return [{ href: '/', label: '首页' }, ...common];
  }
}

/** The pages, each with its address; a `:param` segment is handed to the page. */
const ROUTES: { pattern: string; signedIn?: boolean; page: (params: Record<string, string>) => ReactNode }[] =
  [
    { pattern: '/', page: () => <HomePage /> },
    { pattern: '/signin', page: () => <SignInPage /> },
    { pattern: '/publicity', page: () => <PublicityPage /> },
    { pattern: '/verify', page: () => <CertificatePage /> },
    {
      pattern: '/verify/:certificateNo',
      page: (p) => <CertificatePage certificateNo={p.certificateNo ?? ''} />,
    },
    { pattern: '/apply', signedIn: true, page: () => <ApplicantHome /> },
    { pattern: '/cases/:caseId', signedIn: true, page: (p) => <CasePage caseId={p.caseId ?? ''} /> },
    { pattern: '/tasks', signedIn: true, page: () => <TaskInbox /> },
    { pattern: '/tasks/:taskId', signedIn: true, page: (p) => <TaskPage taskId={p.taskId ?? ''} /> },
    { pattern: '/selection', signedIn: true, page: () => <SelectionPage /> },
    { pattern: '/dashboard', signedIn: true, page: () => <DashboardPage /> },
    { pattern: '/province', signedIn: true, page: () => <ProvincePage /> },
  ];

function route(path: string, session: Session | undefined): ReactNode {
  for (const candidate of ROUTES) {
    const params = match(candidate.pattern, path);
    if (!params) continue;
    // A page behind sign-in shows the sign-in first and stays at its address.
    return candidate.signedIn && !session ? <SignInPage /> : candidate.page(params);
  }
  return (
    <section>
      <h1>页面不存在</h1>
      <p>
        <a href="#/">返回首页</a>
      </p>
    </section>
  );
}

export function App() {
  const path = usePath();
  const session = useSession();
  return (
    <>
      {/* A button, not a link: a link to #main would change the hash route. */}
      <button type="button" className="skip-link" onClick={() => document.getElementById('main')?.focus()}>
        跳到主要内容
      </button>
      <header className="site-header">
        <div className="container header-row">
          <a className="brand" href="#/">
            临汾市劳务品牌、劳务协作基地申报认定
          </a>
          <nav aria-label="主导航">
            <ul>
              {linksFor(session).map((link) => (
                <li key={link.href}>
                  <a href={`#${link.href}`} aria-current={path === link.href ? 'page' : undefined}>
                    {link.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div className="who">
            {session ? (
              <>
                <span>
                  {ROLE_NAMES[session.role]}：{session.org ?? session.county ?? session.sub}
                </span>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    signOut();
                    navigate('/');
                  }}
                >
                  退出
                </button>
              </>
            ) : (
              <a href="#/signin">登录</a>
            )}
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="container">
        {route(path, session)}
      </main>
      <footer className="site-footer">
        <div className="container">临汾市人力资源和社会保障局 就业促进科 · 依据临人社函〔2021〕329号</div>
      </footer>
    </>
  );
}

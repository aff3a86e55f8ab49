import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { loadConfig } from './api';
import { App } from './app';
import { completeOidcSignIn } from './auth';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);

try {
  await loadConfig();
  await completeOidcSignIn();
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
} catch (error) {
  root.render(
    <main className="container">
      <h1>系统暂时无法使用</h1>
      <p role="alert">{error instanceof Error ? error.message : String(error)}</p>
    </main>,
  );
}

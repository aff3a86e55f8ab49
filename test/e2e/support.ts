import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import type { Role } from '#shared/http/principal';

/** Debian's Chromium (`apt-get install chromium`): Playwright never downloads a browser here. */
export const CHROMIUM = '/usr/bin/chromium';

/** The flags this machine needs: no sandbox as root, and no background calls to a network that is closed. */
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const SCREENSHOTS = path.join(import.meta.dirname, 'screenshots');

export function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

/** A free TCP port on loopback: the console's origin must be known before local S3 gets its CORS rules. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function temporaryDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A person at their own browser: a fresh context (own session storage), in Linfen's language and time. */
export async function personAt(
  browser: Browser,
  baseUrl: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1280, height: 900 },
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const failures: string[] = [];
  page.on('pageerror', (error) => failures.push(error.message));
  Object.assign(page, { failures });
  lastPage = page;
  return { context, page };
}

let lastPage: Page | undefined;

/** A screenshot of the page in use when a step failed, to see what the person saw. */
export async function screenshotOnFailure(name: string): Promise<void> {
  if (lastPage && !lastPage.isClosed()) await screenshot(lastPage, `failed-${name}`).catch(() => undefined);
}

/** Signs in through the local role picker, as a person would. */
export async function signIn(
  page: Page,
  role: Role,
  identity: { org?: string; countyName?: string; expertId?: string } = {},
): Promise<void> {
  const labels: Record<Role, string> = {
    applicant: '申报单位',
    county: '县（市、区）人社部门',
    city: '市人社局',
    expert: '评审专家',
    province: '省人社厅',
  };
  await page.goto('/#/signin');
  await page.getByRole('radio', { name: labels[role] }).check();
  if (identity.org) await page.getByLabel('统一社会信用代码', { exact: true }).fill(identity.org);
  if (identity.countyName)
    await page.getByLabel('县（市、区）', { exact: true }).selectOption({ label: identity.countyName });
  if (identity.expertId) await page.getByLabel('专家编号', { exact: true }).selectOption(identity.expertId);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('button', { name: '退出' }).waitFor();
}

/** Reloads `path` until `locator` shows: the workflow moves on in the background after each step. */
export async function reloadUntilVisible(page: Page, route: string, locator: Locator, timeoutMs = 45_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Going to the same address with only a hash is no navigation at all: reload to fetch again.
    if (page.url() === new URL(route, page.url()).toString()) await page.reload();
    else await page.goto(route);
    await page.locator('#page-title').waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: '正在加载' })
      .waitFor({ state: 'detached' })
      .catch(() => undefined);
    if (await locator.first().isVisible()) return;
    if (Date.now() > deadline) throw new Error(`not visible in time at ${route}: ${locator.toString()}`);
    await page.waitForTimeout(400);
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Uncaught exceptions of the page's scripts (refused API calls are answers, not failures). */
export function pageFailures(page: Page): string[] {
  return (page as Page & { failures?: string[] }).failures ?? [];
}

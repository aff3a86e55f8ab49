import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole, consoleHandler } from '#local/console';
import { brandForm, brandUploads, COUNTY, UNIT_CREDIT_CODE } from '../integration/cloud/fixtures';
import { apiClient, startTestCloud } from '../support/local-cloud';
import {
  freePort,
  launchChromium,
  pageFailures,
  personAt,
  reloadUntilVisible,
  screenshot,
  screenshotOnFailure,
  signIn,
  temporaryDir,
} from './support';

/**
 * The whole 2021 call through the web console in a real browser (Debian's Chromium driven by
 * Playwright), against the local cloud: a unit applies, its county recommends, the city scores on
 * site, each panel expert scores, the city selects, the public reads the list and objects, the clock
 * passes the publicity window, the city dismisses the objection, and the certificate verifies.
 * Each step is done by a person of that role in a browser of their own; nothing is done through the
 * API but moving the simulated clock.
 */
describe('the web console carries a brand application from the unit to a verified certificate', () => {
  let cloud: Awaited<ReturnType<typeof startTestCloud>>;
  let browser: Browser;
  let api: ReturnType<typeof apiClient>;
  let panel: string[];
  const started = Date.now();

  beforeAll(async () => {
    const [consoleDir, port] = await Promise.all([
      buildConsole({ outDir: temporaryDir('laowu-console-') }),
      freePort(),
    ]);
    cloud = await startTestCloud({
      port,
      console: consoleHandler(consoleDir, { apiUrl: '', roundId: '2021', auth: { mode: 'local' } }),
    });
    api = apiClient(cloud.url);
    // Replay the 2021 call: Wednesday 1 December 2021, inside its application window.
    await api('POST', '/local/clock', { body: { now: '2021-12-01T09:00:00+08:00' } });
    panel = (await api('GET', '/v1/rounds/2021')).body.panel;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await cloud?.stop();
    console.log(`[e2e] console suite took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  let caseId = '';
  /** Each step needs the one before it: after a failure the rest are skipped, not failed in cascade. */
  let broken = false;
  const step = (name: string, body: () => Promise<void>) =>
    it(name, async (context) => {
      if (broken) context.skip();
      try {
        await body();
      } catch (error) {
        broken = true;
        await screenshotOnFailure(name.slice(0, 24));
        throw error;
      }
    });

  step(
    'an applicant fills 附件1 with inline checks, sees every defect at once, uploads each material and submits',
    async () => {
      const { context, page } = await personAt(browser, cloud.url);
      // The performance budget: the first page loads under 300 KB of JavaScript, gzip-compressed.
      const scripts: Promise<Buffer>[] = [];
      page.on('response', (response) => {
        if (response.request().resourceType() === 'script') scripts.push(response.body());
      });
      await page.goto('/');
      await page.getByRole('heading', { name: '首页' }).waitFor();
      const gzipped = (await Promise.all(scripts)).reduce((sum, body) => sum + gzipSync(body).length, 0);
      expect(gzipped).toBeGreaterThan(0);
      expect(gzipped).toBeLessThan(300 * 1024);
      console.log(`[e2e] first page JavaScript: ${(gzipped / 1024).toFixed(1)} KB gzip`);
      await screenshot(page, '01-home');

      await signIn(page, 'applicant', { org: UNIT_CREDIT_CODE });
      await page
        .getByRole('heading', { name: '申报须知（2021年度市级劳务品牌、劳务协作基地申报认定）' })
        .waitFor();
      expect(await page.getByText('材料报送截止：').textContent()).toContain('2021年12月30日');
      await screenshot(page, '02-apply');

      await page.getByRole('radio', { name: '市级劳务品牌', exact: true }).check();
      await page.getByRole('radio', { name: /属地推荐/ }).check();
      await page.getByLabel('所在县（市、区）', { exact: true }).selectOption(COUNTY);
      await page.getByRole('button', { name: '建立申报' }).click();
      await page.getByRole('heading', { name: '附件1 市级劳务品牌申报认定表' }).waitFor();
      caseId = /#\/cases\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
      expect(caseId).not.toBe('');

      // Inline validation uses the server's own field schemas: the same Chinese messages.
      const mobile = page.getByLabel('手机', { exact: true });
      await mobile.fill('1381234');
      await mobile.blur();
      await expect(page.locator('.field-error').filter({ has: mobile }).textContent()).resolves.toContain(
        '手机',
      );
      const introduction = page.getByLabel('品牌情况介绍', { exact: true });
      await introduction.fill('𠀀'.repeat(2001));
      await introduction.blur();
      await expect(page.getByText('品牌情况介绍不能超过2000字，当前为2001字').isVisible()).resolves.toBe(
        true,
      );

      const fields: [string, string][] = [
        ['品牌名称', brandForm.name],
        ['所属单位', brandForm.ownerUnit],
        ['单位地址', brandForm.address],
        ['负责人', brandForm.leader],
        ['办公电话', brandForm.officePhone],
        ['手机', brandForm.mobile],
        ['2020年品牌培训人数', String(brandForm.trained['2020'])],
        ['2021年品牌培训人数', String(brandForm.trained['2021'])],
        ['2020年品牌劳务输出人数', String(brandForm.output['2020'])],
        ['2021年品牌劳务输出人数', String(brandForm.output['2021'])],
        ['品牌情况介绍', brandForm.introduction],
      ];
      for (const [label, value] of fields) await page.getByLabel(label, { exact: true }).fill(value);
      await page.getByRole('button', { name: '保存申报表' }).click();
      await page.getByText('申报表已保存').waitFor();

      // Submitting with no materials: the complete defect list (一次性告知), all at once.
      await page.getByRole('button', { name: '提交申报' }).click();
      const defects = page.getByRole('alert').filter({ hasText: '一次性告知' });
      await defects.waitFor();
      const required = brandUploads.length;
      expect(await defects.locator('li').count()).toBeGreaterThanOrEqual(required);
      await screenshot(page, '03-defects');

      for (const file of brandUploads) {
        await page.locator(`#upload-${file.slot}`).setInputFiles({
          name: file.fileName,
          mimeType: file.contentType,
          buffer: file.bytes,
        });
        await page.locator(`[data-slot="${file.slot}"] .evidence-accepted`).waitFor({ timeout: 30_000 });
      }
      // Roster numbers as intake verified them.
      const training = page.locator('[data-slot="training-roster"] .figures');
      await expect(training.textContent()).resolves.toContain('不重复人数560');
      await expect(training.textContent()).resolves.toContain('培训后就业率100%');
      await screenshot(page, '04-uploads');

      await page.getByRole('button', { name: '提交申报' }).click();
      await page
        .locator('.badge')
        .filter({ hasText: /已提交|县级初审/ })
        .waitFor();
      await reloadUntilVisible(page, `/#/cases/${caseId}`, page.locator('.badge', { hasText: '县级初审' }));
      await expect(page.locator('.timeline').textContent()).resolves.toContain('提交申报');
      await screenshot(page, '05-submitted');

      // The filled 附件1 as Word, for printing in two copies and stamping.
      const [docx] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: /下载申报认定表/ }).click(),
      ]);
      expect(docx.suggestedFilename()).toMatch(/^附件1 .*洪洞护工\.docx$/);
      const chunks: Buffer[] = [];
      for await (const chunk of await docx.createReadStream()) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).subarray(0, 2).toString('latin1')).toBe('PK');
      expect(pageFailures(page)).toEqual([]);
      await context.close();
    },
  );

  step('the county staff recommends it from their task inbox', async () => {
    const { context, page } = await personAt(browser, cloud.url);
    await signIn(page, 'county', { countyName: '洪洞县' });
    const row = page
      .getByRole('row')
      .filter({ hasText: '初审核实、推荐意见' })
      .filter({ hasText: brandForm.name });
    await reloadUntilVisible(page, '/#/tasks', row);
    await screenshot(page, '06-county-inbox');
    await row.getByRole('link', { name: /办理/ }).click();
    await page.getByRole('heading', { name: '办理意见' }).waitFor();
    await expect(page.getByText('不重复人数').first().isVisible()).resolves.toBe(true);
    await page.getByRole('radio', { name: '同意推荐', exact: true }).check();
    await page.getByLabel('意见', { exact: true }).fill('材料真实，同意推荐');
    await screenshot(page, '07-county-review');
    await page.getByRole('button', { name: '提交办理结果' }).click();
    await page.getByText('已办结：同意推荐').waitFor();
    expect(pageFailures(page)).toEqual([]);
    await context.close();
  });

  step('the city scores on site with maxima enforced, then each panel expert scores', async () => {
    const fillScores = async (page: import('playwright-core').Page, share: number) => {
      const inputs = page.getByRole('spinbutton');
      const count = await inputs.count();
      expect(count).toBe(4);
      for (let i = 0; i < count; i++) {
        const input = inputs.nth(i);
        const max = Number(await input.getAttribute('max'));
        await input.fill(String(Math.round(max * share)));
      }
    };

    const city = await personAt(browser, cloud.url);
    await signIn(city.page, 'city');
    const onsite = city.page
      .getByRole('row')
      .filter({ hasText: '实地考评' })
      .filter({ hasText: brandForm.name });
    await reloadUntilVisible(city.page, '/#/tasks', onsite);
    await onsite.getByRole('link', { name: /办理/ }).click();
    await city.page.getByRole('heading', { name: '评分与意见' }).waitFor();
    await fillScores(city.page, 0.9);
    // Over the criterion's maximum: refused in the form, before any request.
    const first = city.page.getByRole('spinbutton').first();
    const max = Number(await first.getAttribute('max'));
    await first.fill(String(max + 1));
    await first.blur();
    await city.page.getByText(`的得分应在 0 至 ${max} 之间`).waitFor();
    await city.page.getByRole('radio', { name: '考评通过', exact: true }).check();
    await city.page.getByLabel('意见', { exact: true }).fill('现场核实，情况属实');
    await city.page.getByRole('button', { name: '提交办理结果' }).click();
    await city.page.getByText('的得分应在 0 至').first().waitFor();
    await first.fill(String(Math.round(max * 0.9)));
    await screenshot(city.page, '08-onsite-scoring');
    await city.page.getByRole('button', { name: '提交办理结果' }).click();
    await city.page.getByText('已办结：考评通过').waitFor();
    expect(pageFailures(city.page)).toEqual([]);
    await city.context.close();

    expect(panel.length).toBeGreaterThan(0);
    for (const [index, expertId] of panel.entries()) {
      const expert = await personAt(browser, cloud.url);
      await signIn(expert.page, 'expert', { expertId });
      const row = expert.page
        .getByRole('row')
        .filter({ hasText: '集中评审' })
        .filter({ hasText: brandForm.name });
      await reloadUntilVisible(expert.page, '/#/tasks', row);
      await row.getByRole('link', { name: /办理/ }).click();
      await expert.page.getByRole('heading', { name: '评分与意见' }).waitFor();
      // Experts read the case without the leader's personal mobile.
      expect(await expert.page.locator('main').textContent()).not.toContain(brandForm.mobile);
      await fillScores(expert.page, [0.9, 0.85, 0.95][index % 3] ?? 0.9);
      await expert.page.getByRole('radio', { name: '同意入围', exact: true }).check();
      await expert.page.getByLabel('评审意见', { exact: true }).fill('品牌特色鲜明，同意入围');
      if (index === 0) await screenshot(expert.page, '09-expert-scoring');
      await expert.page.getByRole('button', { name: '提交办理结果' }).click();
      await expert.page.getByText('已办结：同意入围').waitFor();
      expect(pageFailures(expert.page)).toEqual([]);
      await expert.context.close();
    }
  });

  step(
    'the city selects it from the proposed ranking, and the public reads the list and objects by real name',
    async () => {
      const city = await personAt(browser, cloud.url);
      await signIn(city.page, 'city');
      const candidate = city.page.getByRole('checkbox', { name: `列入候选名单：${brandForm.name}` });
      await reloadUntilVisible(city.page, '/#/selection', candidate);
      await candidate.check();
      await screenshot(city.page, '10-selection');
      await city.page.getByRole('button', { name: /确定候选名单并公示/ }).click();
      const made = city.page.getByText('已确定 1 个候选对象');
      await made.waitFor();
      // 7 working days from Thursday 2 December 2021: the window's last day is Friday 10 December.
      await expect(made.textContent()).resolves.toContain('2021年12月10日');

      await city.page.goto('/#/dashboard');
      const hongtong = city.page.getByRole('row').filter({ hasText: '洪洞县' });
      await hongtong.waitFor();
      await expect(hongtong.textContent()).resolves.toContain('已达到');
      await screenshot(city.page, '11-dashboard');
      expect(pageFailures(city.page)).toEqual([]);
      await city.context.close();

      const reader = await personAt(browser, cloud.url);
      await reader.page.goto('/#/publicity');
      const row = reader.page.getByRole('row').filter({ hasText: brandForm.name });
      await row.waitFor();
      await expect(reader.page.locator('.window').textContent()).resolves.toContain(
        '公示期：2021年12月1日至2021年12月10日',
      );
      await expect(row.textContent()).resolves.toContain(brandForm.ownerUnit);
      await row.getByRole('button', { name: /提出异议/ }).click();
      await reader.page.getByLabel('真实姓名', { exact: true }).fill('李四');
      await reader.page.getByLabel('联系电话', { exact: true }).fill('12345');
      await reader.page.getByLabel('异议理由', { exact: true }).fill('该品牌培训人数存在虚报。');
      await reader.page.getByRole('button', { name: '提交异议' }).click();
      await reader.page.getByText('请填写有效的手机号码或固定电话').waitFor();
      await reader.page.getByLabel('联系电话', { exact: true }).fill('13912345678');
      await screenshot(reader.page, '12-publicity-objection');
      await reader.page.getByRole('button', { name: '提交异议' }).click();
      await reader.page.getByText('已收到您对').waitFor();
      expect(pageFailures(reader.page)).toEqual([]);
      await reader.context.close();
    },
  );

  step(
    'after the window the city dismisses the objection, the case is certified and its certificate verifies',
    async () => {
      // The simulated clock passes the end of publicity (24:00 on Friday 10 December 2021).
      const moved = await api('POST', '/local/clock', { body: { now: '2021-12-11T00:00:01+08:00' } });
      expect(moved.status).toBe(200);

      const reader = await personAt(browser, cloud.url);
      await reader.page.goto('/#/publicity');
      await reader.page.getByText('公示期已结束，不再受理异议').waitFor();
      expect(await reader.page.getByRole('button', { name: /提出异议/ }).count()).toBe(0);

      const city = await personAt(browser, cloud.url);
      await signIn(city.page, 'city');
      const review = city.page
        .getByRole('row')
        .filter({ hasText: '异议核查' })
        .filter({ hasText: brandForm.name });
      await reloadUntilVisible(city.page, '/#/tasks', review);
      await review.getByRole('link', { name: /办理/ }).click();
      await city.page.getByText('该品牌培训人数存在虚报。').waitFor();
      // The objector's phone reaches the reviewer masked.
      expect(await city.page.locator('main').textContent()).toContain('139****5678');
      await city.page.getByRole('radio', { name: '异议不成立', exact: true }).check();
      await city.page.getByLabel('意见', { exact: true }).fill('经核查，异议不成立');
      await screenshot(city.page, '13-objection-review');
      await city.page.getByRole('button', { name: '提交办理结果' }).click();
      await city.page.getByText('已办结：异议不成立').waitFor();

      // Recognition: the certificate number appears on the case's timeline.
      await reloadUntilVisible(
        city.page,
        `/#/cases/${caseId}`,
        city.page.locator('.badge', { hasText: '已认定' }),
      );
      const timeline = (await city.page.locator('.timeline').textContent()) ?? '';
      const certificateNo = /LF-2021-[A-Z]+-\d{3}/.exec(timeline)?.[0];
      expect(certificateNo).toBeDefined();
      await screenshot(city.page, '14-certified-case');
      const [certificate] = await Promise.all([
        city.page.waitForEvent('download'),
        city.page.getByRole('button', { name: '下载认定证书' }).click(),
      ]);
      expect(certificate.suggestedFilename()).toBe('洪洞护工-认定证书.svg');

      // The city recommends it to the province.
      const province = city.page
        .getByRole('row')
        .filter({ hasText: '推荐上报省厅' })
        .filter({ hasText: brandForm.name });
      await reloadUntilVisible(city.page, '/#/tasks', province);
      await province.getByRole('link', { name: /办理/ }).click();
      await city.page.getByRole('radio', { name: '推荐上报省厅', exact: true }).check();
      await city.page.getByLabel('意见', { exact: true }).fill('推荐申报省级劳务品牌');
      await city.page.getByRole('button', { name: '提交办理结果' }).click();
      await city.page.getByText('已办结：推荐上报省厅').waitFor();
      expect(pageFailures(city.page)).toEqual([]);
      await city.context.close();

      // Anyone verifies the certificate by its number, as its QR code would open.
      await reader.page.goto('/#/verify');
      await reader.page.getByLabel('证书编号', { exact: true }).fill(certificateNo ?? '');
      await reader.page.getByRole('button', { name: '查验' }).click();
      const result = reader.page.getByRole('region', { name: '证书有效' });
      await result.waitFor();
      await expect(result.textContent()).resolves.toContain(brandForm.name);
      await expect(result.textContent()).resolves.toContain(brandForm.ownerUnit);
      await screenshot(reader.page, '15-certificate');
      await reader.page.goto('/#/verify/LF-2021-PP-999');
      await reader.page.getByText('查无此证').waitFor();
      expect(pageFailures(reader.page)).toEqual([]);
      await reader.context.close();
    },
  );
});

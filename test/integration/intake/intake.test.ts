import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '#local/cloud';
import { apiClient, eventually, startTestCloud } from '../../support/local-cloud';
import {
  baseForm,
  baseUploads,
  brandForm,
  brandUploads,
  COUNTY,
  completeBrandCase,
  postUpload,
  tokens,
} from '../cloud/fixtures';

const PDF = Buffer.from('%PDF-1.4\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

interface EvidenceView {
  evidenceId: string;
  slot: string;
  status: string;
  reasonCode?: string;
  reason?: string;
  supersededBy?: string;
  sha256?: string;
}

describe('application intake through the API and the evidence pipeline', () => {
  let cloud: LocalCloud & { dataDir: string };
  let api: ReturnType<typeof apiClient>;
  let who: Awaited<ReturnType<typeof tokens>>;

  beforeAll(async () => {
    cloud = await startTestCloud();
    api = apiClient(cloud.url);
    await api('POST', '/local/clock', { body: { now: '2021-12-01T09:00:00+08:00' } });
    who = await tokens(cloud);
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  const newDraft = async (form: Record<string, unknown> = { name: '洪洞护工' }) => {
    const created = await api('POST', '/v1/cases', {
      token: who.applicant,
      body: { roundId: '2021', kind: 'brand', route: 'county', countyCode: COUNTY, form },
    });
    expect(created.status).toBe(201);
    return created.body.caseId as string;
  };
  const reserve = (caseId: string, body: Record<string, unknown>) =>
    api('POST', `/v1/cases/${caseId}/uploads`, { token: who.applicant, body });
  const evidenceOf = async (caseId: string) =>
    (await api('GET', `/v1/cases/${caseId}`, { token: who.applicant })).body.evidence as EvidenceView[];
  const settled = (caseId: string, evidenceId: string) =>
    eventually(async () =>
      (await evidenceOf(caseId)).find((item) => item.evidenceId === evidenceId && item.status !== 'PENDING'),
    );

  it('refuses mass assignment on create with 400 and stores nothing', async () => {
    const created = await api('POST', '/v1/cases', {
      token: who.applicant,
      body: { roundId: '2021', kind: 'brand', route: 'direct', form: {}, status: 'CERTIFIED' },
    });
    expect(created.status).toBe(400);
  });

  it('refuses upload slots the checklist does not have, types it does not accept and sizes over its limit', async () => {
    const caseId = await newDraft();
    expect(
      (await reserve(caseId, { slot: 'selfie', fileName: 'a.pdf', contentType: 'application/pdf', size: 10 }))
        .body.error.code,
    ).toBe('UNKNOWN_SLOT');
    expect(
      (
        await reserve(caseId, {
          slot: 'training-roster',
          fileName: 'a.pdf',
          contentType: 'application/pdf',
          size: 10,
        })
      ).body.error.code,
    ).toBe('TYPE_NOT_ACCEPTED');
    expect(
      (
        await reserve(caseId, {
          slot: 'qualification',
          fileName: 'a.pdf',
          contentType: 'application/pdf',
          size: 10 ** 10,
        })
      ).body.error.code,
    ).toBe('TOO_LARGE');
    expect(
      (
        await reserve(caseId, {
          slot: 'qualification',
          fileName: '../a.pdf',
          contentType: 'application/pdf',
          size: 10,
        })
      ).status,
    ).toBe(400);
  });

  it("hides another unit's case (404) from an applicant", async () => {
    const caseId = await newDraft();
    const stranger = (
      await api('POST', '/local/token', { body: { role: 'applicant', org: '911100001000011802' } })
    ).body.token;
    expect((await api('GET', `/v1/cases/${caseId}`, { token: stranger })).status).toBe(404);
    expect((await api('GET', `/v1/cases/${caseId}`, { token: who.county })).status).toBe(404); // drafts stay private
  });

  it('refuses a renamed file (PNG content declared as PDF) and quarantines it with a readable reason', async () => {
    const caseId = await newDraft();
    const slot = await reserve(caseId, {
      slot: 'qualification',
      fileName: '执照.pdf',
      contentType: 'application/pdf',
      size: PNG.length,
    });
    await postUpload(slot.body, PNG, '执照.pdf');
    const item = await settled(caseId, slot.body.evidenceId);
    expect(item).toMatchObject({ status: 'REJECTED', reasonCode: 'TYPE_MISMATCH' });
    expect(item.reason).toMatch(/[\u4e00-\u9fff]/);
  });

  it('refuses a PNG posted into a CSV slot, an executable renamed .pdf and an oversized scan, and the case stays editable', async () => {
    const caseId = await newDraft();
    const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00]);
    const scanLimit = (await api('GET', '/v1/rounds/2021')).body.checklist.brand.find(
      (slot: { slot: string }) => slot.slot === 'qualification',
    ).maxBytes;
    const oversized = Buffer.alloc(scanLimit + 1, 0x20);
    oversized.write('%PDF-1.4');

    const pngAsCsv = await reserve(caseId, {
      slot: 'training-roster',
      fileName: '花名册.csv',
      contentType: 'text/csv',
      size: PNG.length,
    });
    await postUpload(pngAsCsv.body, PNG, '花名册.csv');
    const exeAsPdf = await reserve(caseId, {
      slot: 'training-proof',
      fileName: '证明.pdf',
      contentType: 'application/pdf',
      size: ELF.length,
    });
    await postUpload(exeAsPdf.body, ELF, '证明.pdf');
    // The policy caps the size on AWS; s3rver ignores it, so intake's own check is what refuses here.
    const big = await reserve(caseId, {
      slot: 'qualification',
      fileName: '执照.pdf',
      contentType: 'application/pdf',
      size: scanLimit,
    });
    await postUpload(big.body, oversized, '执照.pdf');

    expect(await settled(caseId, pngAsCsv.body.evidenceId)).toMatchObject({
      status: 'REJECTED',
      reasonCode: 'TYPE_NOT_ACCEPTED',
    });
    expect(await settled(caseId, exeAsPdf.body.evidenceId)).toMatchObject({
      status: 'REJECTED',
      reasonCode: 'UNREADABLE',
    });
    expect(await settled(caseId, big.body.evidenceId)).toMatchObject({
      status: 'REJECTED',
      reasonCode: 'TOO_LARGE',
    });
    for (const item of await evidenceOf(caseId)) expect(item.reason).toMatch(/[\u4e00-\u9fff]/);

    const view = await api('GET', `/v1/cases/${caseId}`, { token: who.applicant });
    expect(view.body.status).toBe('DRAFT');
    const edited = await api('PUT', `/v1/cases/${caseId}/form`, {
      token: who.applicant,
      headers: { 'if-match': `"${view.body.version}"` },
      body: { form: { name: '洪洞护工（修改）' } },
    });
    expect(edited.status).toBe(200);
  });

  it('does not let another unit change a case: form, uploads and submit all answer 404', async () => {
    const caseId = await newDraft();
    const stranger = (
      await api('POST', '/local/token', { body: { role: 'applicant', org: '911100001000011802' } })
    ).body.token;
    expect(
      (
        await api('PUT', `/v1/cases/${caseId}/form`, {
          token: stranger,
          headers: { 'if-match': '"1"' },
          body: { form: {} },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await api('POST', `/v1/cases/${caseId}/uploads`, {
          token: stranger,
          body: { slot: 'other', fileName: 'a.pdf', contentType: 'application/pdf', size: 10 },
        })
      ).status,
    ).toBe(404);
    expect((await api('POST', `/v1/cases/${caseId}/submit`, { token: stranger })).status).toBe(404);
    expect((await api('POST', `/v1/cases/${caseId}/submit`, { token: who.county })).status).toBe(403);
  });

  it('refuses an object whose size differs from the declaration', async () => {
    const caseId = await newDraft();
    const slot = await reserve(caseId, {
      slot: 'qualification',
      fileName: '执照.pdf',
      contentType: 'application/pdf',
      size: PDF.length + 5,
    });
    await postUpload(slot.body, PDF, '执照.pdf');
    expect(await settled(caseId, slot.body.evidenceId)).toMatchObject({
      status: 'REJECTED',
      reasonCode: 'SIZE_MISMATCH',
    });
  });

  it('supersedes the earlier file of a single-file slot instead of overwriting it', async () => {
    const caseId = await newDraft();
    const first = await reserve(caseId, {
      slot: 'qualification',
      fileName: 'v1.pdf',
      contentType: 'application/pdf',
      size: PDF.length,
    });
    await postUpload(first.body, PDF, 'v1.pdf');
    await settled(caseId, first.body.evidenceId);
    const second = await reserve(caseId, {
      slot: 'qualification',
      fileName: 'v2.pdf',
      contentType: 'application/pdf',
      size: PDF.length,
    });
    await postUpload(second.body, PDF, 'v2.pdf');
    await settled(caseId, second.body.evidenceId);
    const items = await eventually(async () => {
      const current = await evidenceOf(caseId);
      return current.find((item) => item.evidenceId === first.body.evidenceId)?.supersededBy
        ? current
        : undefined;
    });
    expect(items.find((item) => item.evidenceId === first.body.evidenceId)).toMatchObject({
      status: 'ACCEPTED',
      supersededBy: second.body.evidenceId,
    });
    expect(items.find((item) => item.evidenceId === second.body.evidenceId)?.supersededBy).toBeUndefined();
  });

  it('takes each S3 event once: a duplicate or older event changes nothing; a vanished object is marked missing', async () => {
    const caseId = await newDraft();
    const bucket = Object.values(cloud.topology.buckets).find((b) => b.notifications.length > 0);
    const intake = bucket?.notifications[0]?.functionArn ?? '';
    const event = (key: string, sequencer: string) => ({
      Records: [
        {
          eventName: 'ObjectCreated:Post',
          s3: {
            bucket: { name: bucket?.name },
            object: { key: encodeURIComponent(key), size: PDF.length, sequencer },
          },
        },
      ],
    });

    const slot = await reserve(caseId, {
      slot: 'qualification',
      fileName: 'a.pdf',
      contentType: 'application/pdf',
      size: PDF.length,
    });
    await postUpload(slot.body, PDF, 'a.pdf');
    const accepted = await settled(caseId, slot.body.evidenceId);
    const receivedAt = async () =>
      (await api('GET', `/v1/cases/${caseId}`, { token: who.applicant })).body.evidence.find(
        (item: EvidenceView & { receivedAt?: string }) => item.evidenceId === slot.body.evidenceId,
      );

    const before = await receivedAt();
    await cloud.invoke(intake, event(slot.body.key, '0000000000000001')); // older than the real event
    expect(await receivedAt()).toEqual(before);
    // A newer object under a used reservation: quarantined, the accepted item untouched.
    await cloud.invoke(intake, event(slot.body.key, 'FFFFFFFFFFFFFFFFFFFF'));
    const reprocessed = await receivedAt();
    expect(reprocessed).toEqual(before);
    await cloud.invoke(intake, event(slot.body.key, 'FFFFFFFFFFFFFFFFFFFF')); // exact duplicate: nothing
    expect(await receivedAt()).toEqual(reprocessed);
    expect(reprocessed).toMatchObject({ status: 'ACCEPTED', sha256: accepted.sha256 });

    const never = await reserve(caseId, {
      slot: 'training-proof',
      fileName: 'b.pdf',
      contentType: 'application/pdf',
      size: PDF.length,
    });
    await cloud.invoke(intake, event(never.body.key, '0000000000000009'));
    expect(await settled(caseId, never.body.evidenceId)).toMatchObject({
      status: 'REJECTED',
      reasonCode: 'MISSING',
    });
  });

  it('takes one object per upload link: a replayed policy during COUNTY_REVIEW changes nothing and is shown to the city only', async () => {
    const caseId = await newDraft(brandForm);
    const policies: Record<string, { url: string; fields: Record<string, string>; evidenceId: string }> = {};
    for (const upload of brandUploads) {
      const slot = await reserve(caseId, {
        slot: upload.slot,
        fileName: upload.fileName,
        contentType: upload.contentType,
        size: upload.bytes.length,
      });
      expect(slot.status).toBe(201);
      policies[upload.slot] = slot.body;
      await postUpload(slot.body, upload.bytes, upload.fileName);
    }
    for (const policy of Object.values(policies)) await settled(caseId, policy.evidenceId);
    expect((await api('POST', `/v1/cases/${caseId}/submit`, { token: who.applicant })).status).toBe(202);
    const before = await eventually(async () => {
      const view = await api('GET', `/v1/cases/${caseId}`, { token: who.city });
      return view.body.status === 'COUNTY_REVIEW' ? view.body : undefined;
    });
    const qualification = policies.qualification;
    if (!qualification) throw new Error('brand checklist has a qualification slot');
    const original = before.evidence.find(
      (item: EvidenceView) => item.evidenceId === qualification.evidenceId,
    );
    expect(original).toMatchObject({ status: 'ACCEPTED' });

    // The same presigned POST, replayed within its 5 minutes with other bytes of the same size.
    const forged = Buffer.alloc(original.size, 0x41);
    forged.write('%PDF-1.4\n');
    await postUpload(qualification, forged, 'forged.pdf');
    const after = await eventually(async () => {
      const view = await api('GET', `/v1/cases/${caseId}`, { token: who.city });
      return view.body.quarantined?.length ? view.body : undefined;
    });
    expect(after.quarantined).toEqual([
      expect.objectContaining({
        evidenceId: qualification.evidenceId,
        slot: 'qualification',
        reasonCode: 'CASE_NOT_EDITABLE',
        reason: expect.stringMatching(/[\u4e00-\u9fff]/),
      }),
    ]);
    expect(after.evidence).toEqual(before.evidence);
    expect(
      after.evidence.find((item: EvidenceView) => item.evidenceId === qualification.evidenceId)?.sha256,
    ).toBe(original.sha256);
    for (const token of [who.county, who.applicant]) {
      expect((await api('GET', `/v1/cases/${caseId}`, { token })).body.quarantined).toBeUndefined();
    }
  });

  it('locks the form optimistically: of two updates on one version one wins, the other gets 409', async () => {
    const caseId = await newDraft();
    const put = (name: string) =>
      api('PUT', `/v1/cases/${caseId}/form`, {
        token: who.applicant,
        headers: { 'if-match': '"1"' },
        body: { form: { name } },
      });
    const results = await Promise.all([put('甲'), put('乙')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(
      (await api('PUT', `/v1/cases/${caseId}/form`, { token: who.applicant, body: { form: {} } })).status,
    ).toBe(400);
  });

  it('lists every defect at once on submit, then accepts a complete case once, answering a double submit the same way', async () => {
    const draft = await newDraft({ name: '洪洞护工' });
    const refused = await api('POST', `/v1/cases/${draft}/submit`, { token: who.applicant });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('DEFECTS');
    const paths = (refused.body.error.details as { path: string }[]).map((detail) => detail.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'form.introduction',
        'form.ownerUnit',
        'evidence.application-form',
        'evidence.output-roster',
      ]),
    );
    expect(paths.length).toBeGreaterThanOrEqual(brandUploads.length + 5);

    const caseId = await completeBrandCase(cloud, who.applicant);
    const submits = await Promise.all([
      api('POST', `/v1/cases/${caseId}/submit`, { token: who.applicant }),
      api('POST', `/v1/cases/${caseId}/submit`, { token: who.applicant }),
    ]);
    expect(submits.map((r) => r.status)).toEqual([202, 202]);
    expect(submits[1]?.body).toEqual(submits[0]?.body);
    const reviewed = await eventually(async () => {
      const view = await api('GET', `/v1/cases/${caseId}`, { token: who.county });
      return view.body.status === 'COUNTY_REVIEW' ? view : undefined;
    });
    expect(reviewed.body.timeline.map((entry: { status: string }) => entry.status)).toEqual([
      'DRAFT',
      'SUBMITTED',
      'COUNTY_REVIEW',
    ]);
    expect(
      (
        await api('PUT', `/v1/cases/${caseId}/form`, {
          token: who.applicant,
          headers: { 'if-match': `"${reviewed.body.version}"` },
          body: { form: brandForm },
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await reserve(caseId, {
          slot: 'other',
          fileName: 'x.pdf',
          contentType: 'application/pdf',
          size: PDF.length,
        })
      ).status,
    ).toBe(409);
  });

  it('takes a full base (labour cooperation base) application to SUBMITTED', async () => {
    const created = await api('POST', '/v1/cases', {
      token: who.applicant,
      body: { roundId: '2021', kind: 'base', route: 'county', countyCode: COUNTY, form: baseForm },
    });
    expect(created.status).toBe(201);
    const caseId = created.body.caseId as string;
    for (const file of baseUploads) {
      const slot = await reserve(caseId, {
        slot: file.slot,
        fileName: file.fileName,
        contentType: file.contentType,
        size: file.bytes.length,
      });
      await postUpload(slot.body, file.bytes, file.fileName);
      expect(await settled(caseId, slot.body.evidenceId)).toMatchObject({ status: 'ACCEPTED' });
    }
    expect((await api('POST', `/v1/cases/${caseId}/submit`, { token: who.applicant })).status).toBe(202);
  });

  // Last: it moves the simulated clock past the deadline for the rest of this file.
  it('refuses a first submission after the deadline by the simulated clock', async () => {
    const caseId = await completeBrandCase(cloud, who.applicant);
    await api('POST', '/local/clock', { body: { now: '2021-12-31T00:00:01+08:00' } });
    const refused = await api('POST', `/v1/cases/${caseId}/submit`, { token: who.applicant });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.map((detail: { code: string }) => detail.code)).toEqual([
      'DEADLINE_PASSED',
    ]);
  });
});

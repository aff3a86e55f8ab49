import type { EvidenceItem } from '../cases/model';
import type { ErrorDetail } from '../errors';
import type { ChecklistSlot } from '../rounds/index';

/**
 * Every checklist defect of a case at once (一次性告知): required slots with no accepted file, and
 * the latest upload of a slot that was refused.
 */
export function evidenceDefects(
  checklist: readonly ChecklistSlot[],
  evidence: readonly EvidenceItem[],
): ErrorDetail[] {
  const defects: ErrorDetail[] = [];
  for (const slot of checklist) {
    const current = evidence.filter((item) => item.slot === slot.slot && !item.supersededBy);
    const accepted = current.some((item) => item.status === 'ACCEPTED');
    const pending = current.some((item) => item.status === 'PENDING');
    if (slot.required && !accepted) {
      defects.push({
        path: `evidence.${slot.slot}`,
        code: pending ? 'EVIDENCE_PENDING' : 'EVIDENCE_MISSING',
        message: pending ? `“${slot.title}”尚在上传或核验中` : `缺少材料：“${slot.title}”`,
      });
    }
    for (const refused of current.filter((item) => item.status === 'REJECTED')) {
      if (accepted) continue;
      defects.push({
        path: `evidence.${slot.slot}`,
        code: `EVIDENCE_${refused.reasonCode ?? 'REJECTED'}`,
        message: `“${slot.title}”文件《${refused.fileName}》未通过核验：${refused.reason ?? ''}`,
      });
    }
  }
  return defects;
}

import { CONTENT_TYPE_OF, type DetectedType } from './sniff';

/** What the applicant declared when asking for the upload slot, kept on the pending evidence item. */
export interface UploadReservation {
  declaredSize: number;
  contentType: string;
  accepts: readonly string[];
  maxBytes: number;
}

export type EvidenceVerdict =
  | { accepted: true; contentType: string }
  | { accepted: false; code: string; reason: string };

/** Chinese reasons an applicant can act on, by refusal code. */
const REASONS: Record<string, string> = {
  EMPTY: '文件为空，请重新上传',
  TOO_LARGE: '文件超过该材料项允许的大小',
  SIZE_MISMATCH: '文件大小与申请上传时声明的不一致（可能上传不完整），请重新上传',
  TYPE_NOT_ACCEPTED: '文件类型不符合该材料项的要求',
  TYPE_MISMATCH: '文件内容与声明的文件类型不一致（例如改了扩展名），请上传原始文件',
  MACRO_ENABLED: '不接受含宏的表格文件，请另存为普通 .xlsx 或 CSV 后上传',
  EXTERNAL_LINKS: '不接受含外部链接的表格文件，请去掉外部链接后上传',
  UNREADABLE: '无法识别的文件格式',
};

export function refusal(code: keyof typeof REASONS | string): EvidenceVerdict {
  return { accepted: false, code, reason: REASONS[code] ?? REASONS.UNREADABLE ?? code };
}

/** Judges an arrived object against its reservation: size, then type by content, never by name. */
export function verifyEvidence(
  reservation: UploadReservation,
  actual: { size: number; detected: DetectedType },
): EvidenceVerdict {
  if (actual.size === 0) return refusal('EMPTY');
  if (actual.size > reservation.maxBytes) return refusal('TOO_LARGE');
  if (actual.size !== reservation.declaredSize) return refusal('SIZE_MISMATCH');
  if (actual.detected === 'zip' || actual.detected === 'unknown') return refusal('UNREADABLE');
  const contentType = CONTENT_TYPE_OF[actual.detected];
  if (!reservation.accepts.includes(contentType)) return refusal('TYPE_NOT_ACCEPTED');
  if (contentType !== reservation.contentType) return refusal('TYPE_MISMATCH');
  return { accepted: true, contentType };
}

import { z } from 'zod';
import { UnauthorizedError } from '../errors';

export const ROLES = ['applicant', 'county', 'city', 'expert', 'province'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who is calling, from the JWT claims the API Gateway authorizer verified and placed on the event.
 * `org` is the applicant unit's credit code; `county` the county code of county staff.
 */
const claimsSchema = z.object({
  sub: z.string().min(1),
  role: z.enum(ROLES),
  org: z.string().min(1).optional(),
  county: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
});

export type Principal = z.infer<typeof claimsSchema>;

export function principalFromClaims(claims: unknown): Principal {
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) throw new UnauthorizedError('MISSING_CLAIMS', '身份凭证缺少必要信息（sub、role）');
  const principal = parsed.data;
  if (principal.role === 'applicant' && !principal.org) {
    throw new UnauthorizedError('MISSING_CLAIMS', '申报单位的身份凭证缺少统一社会信用代码（org）');
  }
  if (principal.role === 'county' && !principal.county) {
    throw new UnauthorizedError('MISSING_CLAIMS', '县级经办人员的身份凭证缺少县（市、区）代码（county）');
  }
  return principal;
}

import { DescribeExecutionCommand, GetExecutionHistoryCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import type { LocalCloud } from '#local/cloud';
import { apiClient, eventually } from '../../support/local-cloud';
import { baseForm, baseUploads, completeCase, sfnClient, stateMachineArn } from '../cloud/fixtures';

export type Api = ReturnType<typeof apiClient>;

export interface InboxItem {
  taskId: string;
  caseId: string;
  type: string;
  dueAt: string;
  overdue: boolean;
}

/** Tokens for every role the review needs, from the local issuer. */
export async function reviewTokens(cloud: LocalCloud, experts: readonly string[]) {
  const api = apiClient(cloud.url);
  const token = async (body: Record<string, string>) =>
    (await api('POST', '/local/token', { body })).body.token as string;
  return {
    county: await token({ role: 'county', county: '141024' }),
    otherCounty: await token({ role: 'county', county: '141002' }),
    city: await token({ role: 'city', sub: 'inspector-1' }),
    experts: Object.fromEntries(
      await Promise.all(experts.map(async (id) => [id, await token({ role: 'expert', sub: id })] as const)),
    ),
  };
}

/** Waits until the caller's inbox holds a task of this type for the case. */
export async function taskFor(api: Api, token: string, caseId: string, type: string): Promise<InboxItem> {
  return eventually(async () => {
    const inbox = await api('GET', '/v1/tasks', { token });
    return (inbox.body.items as InboxItem[]).find((item) => item.caseId === caseId && item.type === type);
  });
}

/** Waits until the case shows this status to the city. */
export async function statusBecomes(api: Api, cityToken: string, caseId: string, status: string) {
  return eventually(async () => {
    const view = await api('GET', `/v1/cases/${caseId}`, { token: cityToken });
    return view.body?.status === status ? view.body : undefined;
  });
}

/** The execution submission started for a case (`<caseId>-<attempt>`). */
export function executionArnOf(cloud: LocalCloud, caseId: string, attempt = 1): string {
  return `${stateMachineArn(cloud).replace(':stateMachine:', ':execution:')}:${caseId}-${attempt}`;
}

export async function finished(cloud: LocalCloud, executionArn: string) {
  const sfn = sfnClient(cloud);
  return eventually(async () => {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return described.status === 'RUNNING' ? undefined : described;
  });
}

/** Every event of an execution, with its data. */
export async function historyOf(cloud: LocalCloud, executionArn: string): Promise<HistoryEvent[]> {
  const sfn = sfnClient(cloud);
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn,
        includeExecutionData: true,
        nextToken,
        maxResults: 1000,
      }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

const RUBRIC_2021 = {
  brand: {
    'brand-management': 25,
    'scale-and-results': 35,
    'distinctiveness-and-influence': 25,
    'rights-and-integrity': 15,
  },
  base: {
    'recognition-status': 15,
    'cooperation-stability': 25,
    'services-three-in-one': 25,
    'transfer-scale-and-poverty-effect': 35,
  },
};

/** A full score sheet for the 2021 rubric of a kind, each criterion at a share of its maximum. */
export function scoresFor(kind: 'brand' | 'base', share: number): Record<string, number> {
  return Object.fromEntries(
    Object.entries(RUBRIC_2021[kind]).map(([id, points]) => [id, Math.round(points * share)]),
  );
}

export const brandScores = (share: number) => scoresFor('brand', share);

/** A direct-route (市直) base with every required file uploaded and accepted by intake. */
export function completeDirectBase(cloud: LocalCloud, applicantToken: string): Promise<string> {
  return completeCase(cloud, applicantToken, {
    kind: 'base',
    route: 'direct',
    form: baseForm,
    uploads: baseUploads,
  });
}

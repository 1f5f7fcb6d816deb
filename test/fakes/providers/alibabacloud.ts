// A local fake of Alibaba Cloud Model Studio (DashScope) async synthesis, speaking the protocol
// the adapter is written to: POST …/image-synthesis or …/video-synthesis with
// X-DashScope-Async: enable → { output: { task_id, task_status } }, GET /api/v1/tasks/{id}
// walks a scripted status sequence, POST /api/v1/tasks/{id}/cancel cancels PENDING tasks only.
// Errors are { request_id, code, message }.
import type { ServerResponse } from 'node:http';
import { type FakeRequest, type FakeServer, sendJson, startFakeServer } from '../http-server.ts';

export type DashScopeFault = 'rate_limited' | 'unavailable' | 'malformed' | 'auth' | 'bad_request' | 'out_of_credit' | 'moderation' | 'hang';

export interface DashScopeStep {
  status: 'PENDING' | 'RUNNING' | 'SUSPENDED' | 'SUCCEEDED' | 'FAILED' | 'CANCELED' | 'UNKNOWN';
  code?: string;
  message?: string;
}

export interface DashScopeFake {
  url: string;
  requests: FakeRequest[];
  fileBytes: Uint8Array;
  /** The next API request answers with this fault; for 'hang' the promise resolves once it arrived. */
  failNext(fault: DashScopeFault): Promise<void>;
  /** The status sequence the next created task walks through, one step per GET. */
  script(steps: DashScopeStep[]): void;
  close(): Promise<void>;
}

interface Task {
  id: string;
  kind: 'image' | 'video';
  count: number;
  steps: DashScopeStep[];
  polls: number;
  cancelled: boolean;
}

const SYNTHESIS = /^\/api\/v1\/services\/aigc\/(text2image|image2image|video-generation|image2video)\/(image|video)-synthesis$/;

export async function startDashScopeFake(): Promise<DashScopeFake> {
  const tasks = new Map<string, Task>();
  const faults: { fault: DashScopeFault; arrived: () => void }[] = [];
  let nextSteps: DashScopeStep[] = [{ status: 'PENDING' }, { status: 'RUNNING' }, { status: 'SUCCEEDED' }];
  let counter = 0;
  let baseUrl = '';
  const fileBytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70]);

  const handler = (req: FakeRequest, res: ServerResponse): void => {
    if (req.path.startsWith('/files/')) {
      res.writeHead(200, { 'content-type': req.path.endsWith('.mp4') ? 'video/mp4' : 'image/jpeg' });
      res.end(Buffer.from(fileBytes));
      return;
    }
    const injected = faults.shift();
    if (injected) {
      injected.arrived();
      answerFault(injected.fault, res);
      return;
    }
    const synthesis = req.method === 'POST' ? SYNTHESIS.exec(req.path) : null;
    if (synthesis) return create(req, res, synthesis[2] === 'image' ? 'image' : 'video');
    const m = /^\/api\/v1\/tasks\/([^/]+)(\/cancel)?$/.exec(req.path);
    const task = m ? tasks.get(decodeURIComponent(m[1] ?? '')) : undefined;
    if (!task) return sendJson(res, 404, dsError('NotFound', 'Not found!'));
    if (m?.[2] && req.method === 'POST') return answerCancel(task, res);
    sendJson(res, 200, { request_id: `req-${task.polls}`, output: taskOutput(task, baseUrl) });
  };

  function create(req: FakeRequest, res: ServerResponse, kind: 'image' | 'video'): void {
    if (req.headers['x-dashscope-async'] !== 'enable') {
      return sendJson(res, 403, dsError('AccessDenied', 'current user api does not support synchronous calls'));
    }
    const id = `task-${++counter}`;
    const n = Number((req.json as { parameters?: { n?: number } } | undefined)?.parameters?.n ?? 1);
    tasks.set(id, { id, kind, count: n, steps: nextSteps, polls: 0, cancelled: false });
    sendJson(res, 200, { request_id: `req-create-${id}`, output: { task_id: id, task_status: 'PENDING' } });
  }

  const server: FakeServer = await startFakeServer(handler);
  baseUrl = server.url;
  return {
    url: server.url,
    requests: server.requests,
    fileBytes,
    failNext: (fault) => new Promise<void>((arrived) => faults.push({ fault, arrived })),
    script: (steps) => {
      nextSteps = steps;
    },
    close: () => server.close(),
  };
}

function dsError(code: string, message: string): Record<string, string> {
  return { request_id: 'req-error', code, message };
}

function currentStep(task: Task): DashScopeStep {
  return task.steps[Math.min(task.polls, task.steps.length - 1)] ?? { status: 'PENDING' };
}

function answerCancel(task: Task, res: ServerResponse): void {
  if (currentStep(task).status !== 'PENDING') {
    return sendJson(res, 400, dsError('UnsupportedOperation', 'Failed to cancel the task, please confirm if the task is in PENDING status.'));
  }
  task.cancelled = true;
  sendJson(res, 200, { request_id: 'req-cancel' });
}

function taskOutput(task: Task, baseUrl: string): Record<string, unknown> {
  const base = { task_id: task.id };
  if (task.cancelled) return { ...base, task_status: 'CANCELED' };
  const step = currentStep(task);
  task.polls++;
  if (step.status === 'FAILED') return { ...base, task_status: 'FAILED', code: step.code, message: step.message };
  if (step.status !== 'SUCCEEDED') return { ...base, task_status: step.status };
  if (task.kind === 'video') return { ...base, task_status: 'SUCCEEDED', video_url: `${baseUrl}/files/${task.id}.mp4` };
  const results = Array.from({ length: task.count }, (_, i) =>
    step.code ? { code: step.code, message: step.message } : { url: `${baseUrl}/files/${task.id}-${i}.jpg` },
  );
  return { ...base, task_status: 'SUCCEEDED', results, task_metrics: { TOTAL: task.count, SUCCEEDED: task.count, FAILED: 0 } };
}

function answerFault(fault: DashScopeFault, res: ServerResponse): void {
  switch (fault) {
    case 'rate_limited':
      return sendJson(res, 429, dsError('Throttling.RateQuota', 'Requests rate limit exceeded, please try again later.'), { 'retry-after': '2' });
    case 'unavailable':
      return sendJson(res, 500, dsError('InternalError', 'An internal error has occured, please try again later.'));
    case 'malformed':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ request_id: 'req-x', output: { task_status: 'PENDING' } }));
      return;
    case 'auth':
      return sendJson(res, 401, dsError('InvalidApiKey', 'Invalid API-key provided.'));
    case 'bad_request':
      return sendJson(res, 400, dsError('InvalidParameter', 'The size is not match the allowed size.'));
    case 'out_of_credit':
      return sendJson(res, 400, dsError('Arrearage', 'Access denied, please make sure your account is in good standing.'));
    case 'moderation':
      return sendJson(res, 400, dsError('DataInspectionFailed', 'Input data may contain inappropriate content.'));
    case 'hang':
      return;
  }
}

// A local fake of BytePlus ModelArk (Ark v3) speaking the protocol the adapter is written to:
// synchronous POST /api/v3/images/generations, async video tasks under
// /api/v3/contents/generations/tasks (create → { id }, GET walks a scripted status sequence,
// DELETE cancels queued tasks only), errors as { error: { code, message, type } }.
import type { ServerResponse } from 'node:http';
import { type FakeRequest, type FakeServer, sendJson, startFakeServer } from '../http-server.ts';

export type BytePlusFault = 'rate_limited' | 'unavailable' | 'malformed' | 'auth' | 'bad_request' | 'out_of_credit' | 'moderation' | 'hang';

export interface BytePlusStep {
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'expired';
  error?: { code: string; message: string };
}

export interface BytePlusFake {
  url: string;
  requests: FakeRequest[];
  fileBytes: Uint8Array;
  /** The next API request answers with this fault; for 'hang' the promise resolves once it arrived. */
  failNext(fault: BytePlusFault): Promise<void>;
  /** The status sequence the next created task walks through, one step per GET. */
  script(steps: BytePlusStep[]): void;
  close(): Promise<void>;
}

interface Task {
  id: string;
  model: string;
  steps: BytePlusStep[];
  polls: number;
  cancelled: boolean;
}

const TASKS = '/api/v3/contents/generations/tasks';

export async function startBytePlusFake(): Promise<BytePlusFake> {
  const tasks = new Map<string, Task>();
  const faults: { fault: BytePlusFault; arrived: () => void }[] = [];
  let nextSteps: BytePlusStep[] = [{ status: 'queued' }, { status: 'running' }, { status: 'succeeded' }];
  let counter = 0;
  let baseUrl = '';
  const fileBytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 8, 7]);

  const handler = (req: FakeRequest, res: ServerResponse): void => {
    if (req.path.startsWith('/files/')) {
      res.writeHead(200, { 'content-type': req.path.endsWith('.mp4') ? 'video/mp4' : 'image/png' });
      res.end(Buffer.from(fileBytes));
      return;
    }
    const injected = faults.shift();
    if (injected) {
      injected.arrived();
      answerFault(injected.fault, res);
      return;
    }
    if (req.method === 'POST' && req.path === '/api/v3/images/generations') return answerImages(req, res, baseUrl);
    if (req.method === 'POST' && req.path === TASKS) {
      const id = `cgt-2026-${++counter}`;
      const model = String((req.json as { model?: unknown } | undefined)?.model ?? '');
      tasks.set(id, { id, model, steps: nextSteps, polls: 0, cancelled: false });
      return sendJson(res, 200, { id });
    }
    const m = new RegExp(`^${TASKS}/([^/]+)$`).exec(req.path);
    const task = m ? tasks.get(decodeURIComponent(m[1] ?? '')) : undefined;
    if (!task) return sendJson(res, 404, arkError('ResourceNotFound', 'The specified task is not found.', 'NotFound'));
    if (req.method === 'DELETE') return answerDelete(task, res);
    sendJson(res, 200, taskBody(task, baseUrl));
  };

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

function arkError(code: string, message: string, type = 'BadRequest'): { error: Record<string, string> } {
  return { error: { code, message: `${message} Request id: 0217000000000000`, type } };
}

function answerImages(req: FakeRequest, res: ServerResponse, baseUrl: string): void {
  const body = (req.json ?? {}) as { model?: string; size?: string; sequential_image_generation?: string; sequential_image_generation_options?: { max_images?: number } };
  const count = body.sequential_image_generation === 'auto' ? (body.sequential_image_generation_options?.max_images ?? 1) : 1;
  const data = Array.from({ length: count }, (_, i) => ({ url: `${baseUrl}/files/image-${i}.png`, size: body.size ?? '2048x2048' }));
  sendJson(res, 200, { model: body.model, created: 1767225600, data, usage: { generated_images: count, output_tokens: 16384, total_tokens: 16384 } });
}

function currentStep(task: Task): BytePlusStep {
  return task.steps[Math.min(task.polls, task.steps.length - 1)] ?? { status: 'queued' };
}

function answerDelete(task: Task, res: ServerResponse): void {
  if (currentStep(task).status !== 'queued') {
    return sendJson(res, 400, arkError('InvalidParameter.TaskStatus', 'Only tasks in queued status can be cancelled.'));
  }
  task.cancelled = true;
  sendJson(res, 200, {});
}

function taskBody(task: Task, baseUrl: string): Record<string, unknown> {
  const base = { id: task.id, model: task.model, created_at: 1767225600, updated_at: 1767225660 };
  if (task.cancelled) return { ...base, status: 'cancelled' };
  const step = currentStep(task);
  task.polls++;
  if (step.status === 'succeeded') {
    return { ...base, status: 'succeeded', content: { video_url: `${baseUrl}/files/${task.id}.mp4` }, usage: { completion_tokens: 108900 } };
  }
  if (step.status === 'failed') return { ...base, status: 'failed', error: step.error ?? { code: 'InternalServiceError', message: 'failed' } };
  return { ...base, status: step.status };
}

function answerFault(fault: BytePlusFault, res: ServerResponse): void {
  switch (fault) {
    case 'rate_limited':
      return sendJson(res, 429, arkError('RateLimitExceeded.EndpointRPMExceeded', 'Too many requests.', 'TooManyRequests'), { 'retry-after': '3' });
    case 'unavailable':
      return sendJson(res, 500, arkError('InternalServiceError', 'The service encountered an unexpected internal error.', 'InternalServerError'));
    case 'malformed':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('<html>bad gateway</html>');
      return;
    case 'auth':
      return sendJson(res, 401, arkError('AuthenticationError', 'The API key in the request is missing or invalid.', 'Unauthorized'));
    case 'bad_request':
      return sendJson(res, 400, arkError('InvalidParameter', 'One or more parameters specified in the request are not valid.'));
    case 'out_of_credit':
      return sendJson(res, 403, arkError('AccountOverdueError', 'The request failed because your account has an overdue balance.', 'Forbidden'));
    case 'moderation':
      return sendJson(res, 400, arkError('InputTextSensitiveContentDetected', 'The request failed because the input text may contain sensitive information.'));
    case 'hang':
      return;
  }
}

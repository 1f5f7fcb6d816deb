// A local fake of the Runway API (api.dev.runwayml.com, version 2024-11-06) speaking the protocol
// the adapter is written to: task creation endpoints answer { id }, GET /v1/tasks/{id} walks a
// scripted status sequence, DELETE cancels. Failure modes are injected per request.
import type { ServerResponse } from 'node:http';
import { type FakeRequest, type FakeServer, sendJson, startFakeServer } from '../http-server.ts';

export type RunwayFault = 'rate_limited' | 'unavailable' | 'malformed' | 'auth' | 'bad_request' | 'out_of_credit' | 'hang';

export interface RunwayStep {
  status: 'PENDING' | 'THROTTLED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  failure?: string;
  failureCode?: string;
}

export interface RunwayFake {
  url: string;
  requests: FakeRequest[];
  /** The bytes every output file serves. */
  fileBytes: Uint8Array;
  /** The next API request answers with this fault; for 'hang' the promise resolves once it arrived. */
  failNext(fault: RunwayFault): Promise<void>;
  /** The status sequence the next created task walks through, one step per GET. */
  script(steps: RunwayStep[]): void;
  close(): Promise<void>;
}

interface Task {
  id: string;
  steps: RunwayStep[];
  polls: number;
  cancelled: boolean;
}

const CREATE_PATHS = new Set(['/v1/text_to_image', '/v1/image_to_video', '/v1/text_to_video']);

export async function startRunwayFake(): Promise<RunwayFake> {
  const tasks = new Map<string, Task>();
  const faults: { fault: RunwayFault; arrived: () => void }[] = [];
  let nextSteps: RunwayStep[] = [{ status: 'PENDING' }, { status: 'RUNNING' }, { status: 'SUCCEEDED' }];
  let counter = 0;
  const fileBytes = new Uint8Array([0x00, 0x00, 0x00, 0x18, 0x66, 0x74, 0x79, 0x70, 1, 2, 3, 4]);
  let baseUrl = '';

  const handler = (req: FakeRequest, res: ServerResponse): void => {
    if (req.path.startsWith('/files/')) {
      res.writeHead(200, { 'content-type': 'video/mp4' });
      res.end(Buffer.from(fileBytes));
      return;
    }
    const injected = faults.shift();
    if (injected) {
      injected.arrived();
      answerFault(injected.fault, res);
      return;
    }
    if (req.method === 'POST' && CREATE_PATHS.has(req.path)) {
      const id = `task-${++counter}`;
      tasks.set(id, { id, steps: nextSteps, polls: 0, cancelled: false });
      sendJson(res, 200, { id });
      return;
    }
    const m = /^\/v1\/tasks\/([^/]+)$/.exec(req.path);
    const task = m ? tasks.get(decodeURIComponent(m[1] ?? '')) : undefined;
    if (!task) return sendJson(res, 404, { error: 'Task not found' });
    if (req.method === 'DELETE') {
      task.cancelled = true;
      res.writeHead(204).end();
      return;
    }
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

function taskBody(task: Task, baseUrl: string): Record<string, unknown> {
  const base = { id: task.id, createdAt: '2026-01-01T00:00:00.000Z' };
  if (task.cancelled) return { ...base, status: 'CANCELLED' };
  const step = task.steps[Math.min(task.polls, task.steps.length - 1)] ?? { status: 'PENDING' };
  task.polls++;
  switch (step.status) {
    case 'RUNNING':
      return { ...base, status: 'RUNNING', progress: 0.5 };
    case 'SUCCEEDED':
      return { ...base, status: 'SUCCEEDED', output: [`${baseUrl}/files/${task.id}.mp4`] };
    case 'FAILED':
      return { ...base, status: 'FAILED', failure: step.failure ?? 'failed', failureCode: step.failureCode };
    default:
      return { ...base, status: step.status };
  }
}

/** Writes the fault's answer; 'hang' writes nothing and leaves the request open until the client aborts. */
function answerFault(fault: RunwayFault, res: ServerResponse): void {
  switch (fault) {
    case 'rate_limited':
      sendJson(res, 429, { error: 'You have exceeded the rate limit.' }, { 'retry-after': '7' });
      return;
    case 'unavailable':
      sendJson(res, 503, { error: 'Service unavailable' });
      return;
    case 'malformed':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id": ');
      return;
    case 'auth':
      sendJson(res, 401, { error: 'Invalid API key' });
      return;
    case 'bad_request':
      sendJson(res, 400, { error: 'Validation of body failed', issues: [{ path: ['ratio'], message: 'Invalid enum value' }] });
      return;
    case 'out_of_credit':
      sendJson(res, 400, { error: 'You do not have enough credits to run this task.' });
      return;
    case 'hang':
      return;
  }
}

// A local stand-in for api.bfl.ai speaking the documented protocol: POST /v1/<endpoint> with
// `x-key` → {id, polling_url} (or {id, status, webhook_url} when a webhook_url is given);
// GET /v1/get_result?id= → {id, status, result}; result.sample points back at this server.
import { type FakeRequest, type FakeServer, sendJson, startFakeServer } from '../http-server.ts';
import { FAKE_PNG, ReplyScript, sendBytes } from './scripted.ts';

export const BFL_TEST_KEY = 'bfl-test-key';

type TaskStatus = 'Pending' | 'Ready' | 'Error' | 'Request Moderated' | 'Content Moderated';

interface Task {
  status: TaskStatus;
  error?: string;
}

export interface BflFake {
  url: string;
  requests: FakeRequest[];
  script: ReplyScript;
  /** Moves a task to a state; `Ready` makes result.sample point at this server. */
  setStatus(id: string, status: TaskStatus, error?: string): void;
  sampleUrl(id: string): string;
  close(): Promise<void>;
}

export async function startBflFake(): Promise<BflFake> {
  const script = new ReplyScript();
  const tasks = new Map<string, Task>();
  let seq = 0;
  let url = '';
  const server: FakeServer = await startFakeServer((req, res) => {
    if (script.take(req, res)) return;
    if (req.path.startsWith('/files/')) return sendBytes(res, FAKE_PNG, 'image/png');
    if (req.headers['x-key'] !== BFL_TEST_KEY) return sendJson(res, 403, { detail: 'Not authenticated - Invalid Authentication' });
    if (req.method === 'GET' && req.path === '/v1/get_result') {
      const id = req.query.get('id') ?? '';
      const task = tasks.get(id);
      if (task === undefined) return sendJson(res, 200, { id, status: 'Task not found', result: null });
      const result = task.status === 'Ready' ? { sample: `${url}/files/${id}.png`, seed: 42, prompt: 'p' } : null;
      return sendJson(res, 200, { id, status: task.status, result, progress: null, details: task.error ? { error: task.error } : null });
    }
    if (req.method === 'POST' && /^\/v1\/[a-z0-9.-]+$/.test(req.path)) {
      const body = (req.json ?? {}) as { prompt?: unknown; webhook_url?: string };
      if (typeof body.prompt !== 'string') {
        return sendJson(res, 422, { detail: [{ loc: ['body', 'prompt'], msg: 'Field required', type: 'missing' }] });
      }
      const id = `task-${++seq}`;
      tasks.set(id, { status: 'Pending' });
      if (body.webhook_url) return sendJson(res, 200, { id, status: 'Pending', webhook_url: body.webhook_url });
      return sendJson(res, 200, { id, polling_url: `${url}/v1/get_result?id=${id}` });
    }
    sendJson(res, 404, { detail: 'Not Found' });
  });
  url = server.url;
  return {
    url,
    requests: server.requests,
    script,
    setStatus(id, status, error) {
      tasks.set(id, { status, error });
    },
    sampleUrl: (id) => `${url}/files/${id}.png`,
    close: () => server.close(),
  };
}

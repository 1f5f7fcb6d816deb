// A local stand-in for queue.fal.run speaking the documented queue protocol: POST /{endpoint}
// (optionally ?fal_webhook=) with `Authorization: Key …` → {request_id, response_url, status_url,
// cancel_url}; status, response and cancel live under the app path (owner/alias) without the
// endpoint's subpath, as the docs say; it also serves output files and a JWKS for webhook keys.
import { type FakeRequest, sendJson, startFakeServer } from '../http-server.ts';
import { FAKE_MP4, FAKE_PNG, ReplyScript, sendBytes } from './scripted.ts';

export const FAL_TEST_KEY = 'fal-key-id:fal-key-secret';

type QueueState = 'IN_QUEUE' | 'IN_PROGRESS' | 'COMPLETED' | 'CANCELLED';

interface QueuedRequest {
  app: string;
  endpoint: string;
  state: QueueState;
  /** The stored response once COMPLETED: a payload (200) or an error status and body. */
  response?: { status: number; body: unknown };
}

export interface FalFake {
  url: string;
  requests: FakeRequest[];
  script: ReplyScript;
  setState(id: string, state: 'IN_QUEUE' | 'IN_PROGRESS'): void;
  complete(id: string, payload: unknown): void;
  failWith(id: string, status: number, body: unknown): void;
  fileUrl(name: string): string;
  /** The public keys served at /.well-known/jwks.json. */
  jwks: { keys: unknown[] };
  close(): Promise<void>;
}

const NAMESPACES = new Set(['workflows', 'comfy']);

function appOf(endpoint: string): string {
  const parts = endpoint.split('/');
  return parts.slice(0, NAMESPACES.has(parts[0]!) ? 3 : 2).join('/');
}

export async function startFalFake(): Promise<FalFake> {
  const script = new ReplyScript();
  const queued = new Map<string, QueuedRequest>();
  const jwks: { keys: unknown[] } = { keys: [] };
  let seq = 0;
  let url = '';
  const server = await startFakeServer((req, res) => {
    if (script.take(req, res)) return;
    if (req.path === '/.well-known/jwks.json') return sendJson(res, 200, jwks);
    if (req.path.startsWith('/files/')) return sendBytes(res, req.path.endsWith('.mp4') ? FAKE_MP4 : FAKE_PNG, req.path.endsWith('.mp4') ? 'video/mp4' : 'image/png');
    if (req.headers.authorization !== `Key ${FAL_TEST_KEY}`) return sendJson(res, 401, { detail: 'Invalid Key Authorization header format.' });
    const route = /^\/(.+)\/requests\/([^/]+)(\/status|\/cancel)?$/.exec(req.path);
    if (route) {
      const [, app, id, tail] = route;
      const q = queued.get(id!);
      // Status and results sit under the app path only; the endpoint's subpath is not accepted there.
      if (q === undefined || q.app !== app) return sendJson(res, 404, { detail: `Request ${id} not found` });
      const links = { response_url: `${url}/${q.app}/requests/${id}`, status_url: `${url}/${q.app}/requests/${id}/status` };
      if (req.method === 'GET' && tail === '/status') {
        const status = q.state === 'CANCELLED' ? 'COMPLETED' : q.state;
        return sendJson(res, 200, { status, request_id: id, ...links, ...(q.state === 'IN_QUEUE' ? { queue_position: 0 } : { logs: null }) });
      }
      if (req.method === 'PUT' && tail === '/cancel') {
        if (q.state === 'COMPLETED') return sendJson(res, 400, { status: 'ALREADY_COMPLETED' });
        q.state = 'CANCELLED';
        q.response = { status: 400, body: { detail: 'Request was cancelled' } };
        return sendJson(res, 202, { status: 'CANCELLATION_REQUESTED' });
      }
      if (req.method === 'GET' && tail === undefined) {
        if (q.response === undefined) return sendJson(res, 400, { detail: 'Request is still in progress' });
        return sendJson(res, q.response.status, q.response.body);
      }
    }
    if (req.method === 'POST' && /^\/[a-z0-9][a-z0-9._/-]*$/i.test(req.path)) {
      const endpoint = req.path.slice(1);
      const id = `0000-req-${++seq}`;
      queued.set(id, { app: appOf(endpoint), endpoint, state: 'IN_QUEUE' });
      const app = appOf(endpoint);
      return sendJson(res, 200, {
        request_id: id,
        gateway_request_id: id,
        response_url: `${url}/${app}/requests/${id}`,
        status_url: `${url}/${app}/requests/${id}/status`,
        cancel_url: `${url}/${app}/requests/${id}/cancel`,
      });
    }
    sendJson(res, 404, { detail: 'Not Found' });
  });
  url = server.url;
  const get = (id: string): QueuedRequest => {
    const q = queued.get(id);
    if (q === undefined) throw new Error(`no queued request ${id}`);
    return q;
  };
  return {
    url,
    requests: server.requests,
    script,
    jwks,
    setState: (id, state) => {
      get(id).state = state;
    },
    complete: (id, payload) => Object.assign(get(id), { state: 'COMPLETED', response: { status: 200, body: payload } }),
    failWith: (id, status, body) => Object.assign(get(id), { state: 'COMPLETED', response: { status, body } }),
    fileUrl: (name) => `${url}/files/${name}`,
    close: () => server.close(),
  };
}

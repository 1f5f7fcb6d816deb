// A local stand-in for api.replicate.com speaking the documented predictions protocol: create
// (official-model and version routes), get, cancel, with `Authorization: Bearer`; output files
// are served from this server and, as the docs say, need the Authorization header.
import { type FakeRequest, sendJson, startFakeServer } from '../http-server.ts';
import { FAKE_PNG, ReplyScript, sendBytes } from './scripted.ts';

export const REPLICATE_TEST_TOKEN = 'r8_test_token';

type Status = 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled';

interface Prediction {
  id: string;
  model: string;
  version: string;
  status: Status;
  input: unknown;
  output: unknown;
  error: string | null;
  logs: string;
  urls: { get: string; cancel: string; web: string };
}

export interface ReplicateFake {
  url: string;
  requests: FakeRequest[];
  script: ReplyScript;
  setStatus(id: string, status: Status, fields?: { output?: unknown; error?: string }): void;
  fileUrl(name: string): string;
  close(): Promise<void>;
}

export async function startReplicateFake(): Promise<ReplicateFake> {
  const script = new ReplyScript();
  const predictions = new Map<string, Prediction>();
  let seq = 0;
  let url = '';
  const create = (model: string, version: string, input: unknown): Prediction => {
    const id = `pred${++seq}`;
    const p: Prediction = {
      id,
      model,
      version,
      status: 'starting',
      input,
      output: null,
      error: null,
      logs: '',
      urls: { get: `${url}/v1/predictions/${id}`, cancel: `${url}/v1/predictions/${id}/cancel`, web: `https://replicate.com/p/${id}` },
    };
    predictions.set(id, p);
    return p;
  };
  const server = await startFakeServer((req, res) => {
    if (script.take(req, res)) return;
    if (req.headers.authorization !== `Bearer ${REPLICATE_TEST_TOKEN}`) {
      return sendJson(res, 401, { title: 'Unauthenticated', detail: 'You did not pass a valid authentication token', status: 401 });
    }
    if (req.method === 'GET' && req.path.startsWith('/files/')) return sendBytes(res, FAKE_PNG, 'image/png');
    const body = (req.json ?? {}) as { input?: unknown; version?: string };
    const official = /^\/v1\/models\/([^/]+)\/([^/]+)\/predictions$/.exec(req.path);
    if (req.method === 'POST' && (official || req.path === '/v1/predictions')) {
      if (typeof body.input !== 'object' || body.input === null) {
        return sendJson(res, 422, { title: 'Input validation failed', detail: '- input: Invalid type. Expected: object', status: 422 });
      }
      const model = official ? `${official[1]}/${official[2]}` : 'unknown/unknown';
      return sendJson(res, 201, create(model, body.version ?? 'hidden', body.input));
    }
    const get = /^\/v1\/predictions\/([^/]+)(\/cancel)?$/.exec(req.path);
    const prediction = get ? predictions.get(get[1]!) : undefined;
    if (get && prediction === undefined) return sendJson(res, 404, { title: 'Not found', detail: 'Not found.', status: 404 });
    if (prediction && req.method === 'GET' && !get![2]) return sendJson(res, 200, prediction);
    if (prediction && req.method === 'POST' && get![2]) {
      if (prediction.status === 'starting' || prediction.status === 'processing') prediction.status = 'canceled';
      return sendJson(res, 200, prediction);
    }
    sendJson(res, 404, { title: 'Not found', detail: 'Not found.', status: 404 });
  });
  url = server.url;
  return {
    url,
    requests: server.requests,
    script,
    setStatus(id, status, fields = {}) {
      const p = predictions.get(id);
      if (p === undefined) throw new Error(`no prediction ${id}`);
      p.status = status;
      if (fields.output !== undefined) p.output = fields.output;
      if (fields.error !== undefined) p.error = fields.error;
    },
    fileUrl: (name) => `${url}/files/${name}`,
    close: () => server.close(),
  };
}

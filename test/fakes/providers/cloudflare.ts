// A local fake of the Cloudflare Workers AI REST API speaking the protocol the adapter is written
// to: POST /accounts/{account_id}/ai/run/{model} answers synchronously, either with the JSON
// envelope { result: { image: <base64> }, success, errors, messages } (flux models) or with raw
// image/png bytes (Stable Diffusion style models). Errors use the same envelope with
// errors: [{ code, message }] and the documented Workers AI codes.
import type { ServerResponse } from 'node:http';
import { type FakeRequest, type FakeServer, sendJson, startFakeServer } from '../http-server.ts';

export type CloudflareFault =
  | 'rate_limited'
  | 'capacity'
  | 'unavailable'
  | 'malformed'
  | 'auth'
  | 'bad_request'
  | 'out_of_credit'
  | 'moderation'
  | 'success_false'
  | 'hang';

export interface CloudflareFake {
  url: string;
  requests: FakeRequest[];
  /** A tiny PNG, returned raw or base64-encoded. */
  imageBytes: Uint8Array;
  /** Bytes served at /inputs/<name>, for models that take uploaded input images. */
  inputBytes: Uint8Array;
  /** The next API request answers with this fault; for 'hang' the promise resolves once it arrived. */
  failNext(fault: CloudflareFault): Promise<void>;
  close(): Promise<void>;
}

const RUN = /^\/accounts\/([^/]+)\/ai\/run\/(@cf\/.+)$/;
const JSON_MODELS = /\/flux-1-schnell$|\/flux-2-|\/lucid-origin$/;

export async function startCloudflareFake(): Promise<CloudflareFake> {
  const faults: { fault: CloudflareFault; arrived: () => void }[] = [];
  const imageBytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);
  const inputBytes = new Uint8Array([0xff, 0xd8, 0xff, 0xdb, 1, 2, 3]);

  const handler = (req: FakeRequest, res: ServerResponse): void => {
    if (req.path.startsWith('/inputs/')) {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      res.end(Buffer.from(inputBytes));
      return;
    }
    const injected = faults.shift();
    if (injected) {
      injected.arrived();
      answerFault(injected.fault, res);
      return;
    }
    const m = req.method === 'POST' ? RUN.exec(req.path) : null;
    if (!m) return sendJson(res, 404, envelopeError(7000, 'No route for that URI'));
    if (JSON_MODELS.test(m[2] ?? '')) {
      return sendJson(res, 200, { result: { image: Buffer.from(imageBytes).toString('base64') }, success: true, errors: [], messages: [] });
    }
    res.writeHead(200, { 'content-type': 'image/png' });
    res.end(Buffer.from(imageBytes));
  };

  const server: FakeServer = await startFakeServer(handler);
  return {
    url: server.url,
    requests: server.requests,
    imageBytes,
    inputBytes,
    failNext: (fault) => new Promise<void>((arrived) => faults.push({ fault, arrived })),
    close: () => server.close(),
  };
}

function envelopeError(code: number, message: string): Record<string, unknown> {
  return { result: null, success: false, errors: [{ code, message }], messages: [] };
}

function answerFault(fault: CloudflareFault, res: ServerResponse): void {
  switch (fault) {
    case 'rate_limited':
      // A plain 429 with Retry-After; the code is not one from the Workers AI table.
      return sendJson(res, 429, envelopeError(971, 'Please wait and consider throttling your request speed'), { 'retry-after': '11' });
    case 'capacity':
      return sendJson(res, 429, envelopeError(3040, 'Capacity temporarily exceeded, please try again.'));
    case 'unavailable':
      return sendJson(res, 500, envelopeError(3001, 'Internal server error'));
    case 'malformed':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"result": {"image": ');
      return;
    case 'auth':
      return sendJson(res, 401, envelopeError(10000, 'Authentication error'));
    case 'bad_request':
      return sendJson(res, 400, envelopeError(5004, 'Invalid data type for base64 input: object'));
    case 'out_of_credit':
      return sendJson(res, 429, envelopeError(3036, 'You have used up your daily free allocation of 10,000 neurons.'));
    case 'moderation':
      // The error table documents no safety code; this models a refusal by its message.
      return sendJson(res, 400, envelopeError(3030, 'AiError: Input prompt contains NSFW content.'));
    case 'success_false':
      return sendJson(res, 200, envelopeError(3040, 'No more data centers to forward the request to'));
    case 'hang':
      return;
  }
}

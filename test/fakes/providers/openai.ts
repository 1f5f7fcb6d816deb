// A local stand-in for api.openai.com's Images API: POST /v1/images/generations and the JSON form
// of POST /v1/images/edits with `Authorization: Bearer`, answering synchronously with
// {created, data: [{b64_json}], output_format}; errors as {error: {message, type, param, code}}.
import { type FakeRequest, sendJson, startFakeServer } from '../http-server.ts';
import { FAKE_PNG, ReplyScript, sendBytes } from './scripted.ts';

export const OPENAI_TEST_KEY = 'sk-test-openai';

export interface OpenAIFake {
  url: string;
  requests: FakeRequest[];
  script: ReplyScript;
  fileUrl(name: string): string;
  close(): Promise<void>;
}

export function openaiError(message: string, type: string, code: string | null, param: string | null = null) {
  return { error: { message, type, param, code } };
}

export async function startOpenAIFake(): Promise<OpenAIFake> {
  const script = new ReplyScript();
  let url = '';
  const server = await startFakeServer((req, res) => {
    if (script.take(req, res)) return;
    if (req.method === 'GET' && req.path.startsWith('/files/')) return sendBytes(res, FAKE_PNG, 'image/png');
    if (req.headers.authorization !== `Bearer ${OPENAI_TEST_KEY}`) {
      return sendJson(res, 401, openaiError('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'));
    }
    if (req.method !== 'POST' || (req.path !== '/v1/images/generations' && req.path !== '/v1/images/edits')) {
      return sendJson(res, 404, openaiError(`Invalid URL (${req.method} ${req.path})`, 'invalid_request_error', null));
    }
    const body = (req.json ?? {}) as { prompt?: unknown; n?: number; output_format?: string; response_format?: string; images?: unknown[] };
    if (typeof body.prompt !== 'string') return sendJson(res, 400, openaiError("Missing required parameter: 'prompt'.", 'invalid_request_error', 'missing_required_parameter', 'prompt'));
    if (req.path === '/v1/images/edits' && !Array.isArray(body.images)) {
      return sendJson(res, 400, openaiError("Missing required parameter: 'images'.", 'invalid_request_error', 'missing_required_parameter', 'images'));
    }
    const n = body.n ?? 1;
    const item = body.response_format === 'url' ? { url: `${url}/files/img.png` } : { b64_json: Buffer.from(FAKE_PNG).toString('base64') };
    sendJson(res, 200, {
      created: 1_772_366_400,
      data: Array.from({ length: n }, () => item),
      output_format: body.output_format ?? 'png',
      quality: 'high',
      size: '1024x1024',
      usage: { input_tokens: 10, output_tokens: 4160, total_tokens: 4170 },
    });
  });
  url = server.url;
  return { url, requests: server.requests, script, fileUrl: (name) => `${url}/files/${name}`, close: () => server.close() };
}

// Reads a JSON request body with the contract's rules: application/json only, a size cap, an
// object at the top level.
import type { Context } from 'hono';
import type { AppEnv } from './deps.ts';
import { ApiError } from './errors.ts';

/** The part of Node's IncomingMessage the reader uses (no node: import: this also runs under Deno). */
interface NodeIncoming {
  readonly readableEnded?: boolean;
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (err: unknown) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
  pause(): unknown;
}

/**
 * Reads an IncomingMessage with its events: one promise per body, where an async iterator cost
 * a promise per chunk plus the iterator's own stream listeners (a few percent of a generate
 * request's CPU). When `add` throws (the cap), reading stops and the error is returned.
 */
function readIncoming(incoming: NodeIncoming, add: (chunk: Uint8Array) => void): Promise<void> {
  if (incoming.readableEnded) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const done = (err?: unknown) => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('close', onClose);
      incoming.off('error', onError);
      if (err === undefined) resolve();
      else reject(err);
    };
    const onData = (chunk: Uint8Array) => {
      try {
        add(chunk);
      } catch (err) {
        incoming.pause();
        done(err);
      }
    };
    const onEnd = () => done();
    const onClose = () => done(new Error('the request was closed before its body ended'));
    const onError = (err: unknown) => done(err);
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('close', onClose);
    incoming.on('error', onError);
  });
}

/**
 * Reads the body, stopping (413) as soon as it passes maxBytes: a chunked body with no
 * Content-Length is never buffered whole.
 */
async function readCapped(c: Context<AppEnv>, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const add = (value: Uint8Array) => {
    size += value.byteLength;
    if (size > maxBytes) throw new ApiError('payload_too_large', { message: `The body exceeds ${maxBytes} bytes.` });
    chunks.push(value);
  };
  // Under Node (@hono/node-server) the incoming message is read directly: going through
  // c.req.raw.body builds a web Request and a ReadableStream around it, which was the largest
  // cost of reading a generate request.
  const incoming = (c.env as { incoming?: NodeIncoming } | undefined)?.incoming;
  if (incoming !== undefined && typeof incoming.on === 'function' && typeof incoming.off === 'function') {
    await readIncoming(incoming, add); // past the cap: stops reading, the 413 is sent
  } else {
    const req = c.req.raw;
    if (!req.body) return new Uint8Array(0);
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      try {
        add(value);
      } catch (err) {
        await reader.cancel().catch(() => {});
        throw err;
      }
    }
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const ch of chunks) {
    out.set(ch, at);
    at += ch.byteLength;
  }
  return out;
}

export async function readJsonObject(c: Context<AppEnv>, maxBytes: number): Promise<Record<string, unknown>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError('unsupported_media_type', { message: `Content-Type must be application/json, got ${JSON.stringify(type || 'none')}.` });
  }
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > maxBytes) throw new ApiError('payload_too_large', { message: `The body exceeds ${maxBytes} bytes.` });
  const buffer = await readCapped(c, maxBytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(buffer));
  } catch {
    throw new ApiError('invalid_json');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ApiError('invalid_json', { message: 'The request body must be a JSON object.' });
  }
  return parsed as Record<string, unknown>;
}

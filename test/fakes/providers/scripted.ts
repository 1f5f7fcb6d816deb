// Per-test control for the provider fakes (bfl, replicate, fal, openai): script the next answers
// (an error status with headers, a malformed body, a hang) and wait for a request to arrive, so a
// test can abort a hanging call without sleeping.
import type { ServerResponse } from 'node:http';
import type { FakeRequest } from '../http-server.ts';

export type ScriptedReply =
  | { kind: 'json'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'text'; status: number; body: string; headers?: Record<string, string> }
  /** Never answer: the client has to abort (the server's close() ends the socket). */
  | { kind: 'hang' };

export class ReplyScript {
  private readonly queue: ScriptedReply[] = [];
  private waiters: ((req: FakeRequest) => void)[] = [];

  /** Answer the next request with `reply` instead of the documented behaviour. */
  next(reply: ScriptedReply): void {
    this.queue.push(reply);
  }

  /** Resolves with the next request the fake receives. */
  arrival(): Promise<FakeRequest> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The fake's handler calls this first; true when a scripted reply answered the request. */
  take(req: FakeRequest, res: ServerResponse): boolean {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve(req);
    const reply = this.queue.shift();
    if (reply === undefined) return false;
    if (reply.kind === 'hang') return true;
    const contentType = reply.kind === 'json' ? 'application/json' : 'text/plain';
    res.writeHead(reply.status, { 'content-type': contentType, ...reply.headers });
    res.end(reply.kind === 'json' ? JSON.stringify(reply.body) : reply.body);
    return true;
  }
}

/** Bytes that start like a PNG, served as the generated output. */
export const FAKE_PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
/** Bytes that start like an MP4 `ftyp` box. */
export const FAKE_MP4 = new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d]);

export function sendBytes(res: ServerResponse, data: Uint8Array, contentType: string): void {
  res.writeHead(200, { 'content-type': contentType, 'content-length': String(data.length) });
  res.end(Buffer.from(data));
}

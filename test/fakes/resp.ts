// A minimal Redis client over node:net speaking RESP2: one connection, commands pipelined in
// order, replies matched first-in first-out. Enough for the Upstash bridge; not a general client.
import { connect, type Socket } from 'node:net';

export type RespValue = string | number | null | RespError | RespValue[];

export class RespError extends Error {}

/** Encodes a command as a RESP array of bulk strings. */
export function encodeCommand(args: readonly (string | number)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.from(String(a), 'utf8');
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/**
 * Parses one reply at `offset`. Returns the value and the offset after it, or undefined when the
 * buffer does not yet hold a whole reply. Bulk strings come back as `{ bulk: Buffer }` wrapped in
 * a string so the bridge can tell bulk from status replies (`bulk` flag on the result).
 */
export function parseReply(buf: Buffer, offset: number): { value: RespValue; next: number; bulk: boolean } | undefined {
  const eol = buf.indexOf('\r\n', offset);
  if (eol < 0) return undefined;
  const type = String.fromCharCode(buf[offset] as number);
  const line = buf.toString('utf8', offset + 1, eol);
  switch (type) {
    case '+':
      return { value: line, next: eol + 2, bulk: false };
    case '-':
      return { value: new RespError(line), next: eol + 2, bulk: false };
    case ':':
      return { value: Number(line), next: eol + 2, bulk: false };
    case '$': {
      const len = Number(line);
      if (len < 0) return { value: null, next: eol + 2, bulk: true };
      const end = eol + 2 + len;
      if (buf.length < end + 2) return undefined;
      return { value: buf.toString('utf8', eol + 2, end), next: end + 2, bulk: true };
    }
    case '*': {
      const n = Number(line);
      if (n < 0) return { value: null, next: eol + 2, bulk: false };
      const items: RespValue[] = [];
      let at = eol + 2;
      for (let i = 0; i < n; i++) {
        const r = parseReply(buf, at);
        if (!r) return undefined;
        items.push(r.value);
        at = r.next;
      }
      return { value: items, next: at, bulk: false };
    }
    default:
      throw new Error(`RESP: unexpected reply type ${JSON.stringify(type)}`);
  }
}

export class RespClient {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly pending: { resolve: (v: { value: RespValue; bulk: boolean }) => void; reject: (e: Error) => void }[] = [];
  private closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    const fail = (err: Error) => {
      this.closed = true;
      for (const p of this.pending.splice(0)) p.reject(err);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('RESP connection closed')));
  }

  static open(port: number, host = '127.0.0.1'): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host }, () => {
        socket.off('error', reject);
        socket.setNoDelay(true);
        resolve(new RespClient(socket));
      });
      socket.once('error', reject);
    });
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let offset = 0;
    for (;;) {
      const r = parseReply(this.buffer, offset);
      if (!r) break;
      offset = r.next;
      this.pending.shift()?.resolve({ value: r.value, bulk: r.bulk });
    }
    this.buffer = this.buffer.subarray(offset);
  }

  /** Sends one command; resolves with its reply (errors resolve as RespError values). */
  send(args: readonly (string | number)[]): Promise<{ value: RespValue; bulk: boolean }> {
    if (this.closed) return Promise.reject(new Error('RESP connection closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.socket.write(encodeCommand(args));
    });
  }

  close(): Promise<void> {
    this.closed = true;
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.end();
    });
  }
}

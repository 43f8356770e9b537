/**
 * A lean HTTP/1.1 client for load generation: one kept-alive TCP connection, one request at a
 * time, requests written as one string and responses parsed just enough (status line,
 * content-length or chunked body). In production the clients are phones; on the benchmark's
 * 2-core machine the load shares the cores with the server and the database under test, and
 * node:http's client (request and response objects, header objects, stream events) took a sixth
 * of the machine at 1,500 requests/s. The server sees ordinary HTTP/1.1 requests either way.
 */
import net from 'node:net';

/** A response: status and body text. */
export interface LeanResponse {
  status: number;
  text: string;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** One kept-alive connection to `http://host:port`; reconnects when the server closes it. */
export class LeanConnection {
  private socket: net.Socket | null = null;
  private buffer: Buffer = Buffer.alloc(0);
  private pending: {
    resolve: (r: LeanResponse) => void;
    reject: (e: Error) => void;
  } | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  /** Sends one request (no other may be in flight on this connection) and reads its response. */
  request(
    method: string,
    path: string,
    headers: Record<string, string>,
    body = '',
  ): Promise<LeanResponse> {
    if (this.pending) return Promise.reject(new Error('连接上已有未完成的请求'));
    const socket = this.connect();
    let head = `${method} ${path} HTTP/1.1\r\nhost: ${this.host}:${this.port}\r\nconnection: keep-alive\r\n`;
    for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
    head += `content-length: ${Buffer.byteLength(body)}\r\n\r\n`;
    return new Promise<LeanResponse>((resolve, reject) => {
      this.pending = { resolve, reject };
      socket.write(head + body);
    });
  }

  /** Closes the connection. */
  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  private connect(): net.Socket {
    if (this.socket && !this.socket.destroyed) return this.socket;
    const socket = net.connect(this.port, this.host);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      if (this.socket !== socket) return;
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.parse();
    });
    const fail = (e: Error) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.buffer = Buffer.alloc(0);
      const p = this.pending;
      this.pending = null;
      p?.reject(e);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('连接已关闭')));
    this.socket = socket;
    return socket;
  }

  /** Completes the pending request once its whole response is in the buffer. */
  private parse(): void {
    const end = this.buffer.indexOf(HEADER_END);
    if (end < 0 || !this.pending) return;
    const head = this.buffer.toString('latin1', 0, end);
    const status = Number(head.slice(9, 12));
    const lower = head.toLowerCase();
    const bodyStart = end + 4;
    let text: string;
    let consumed: number;
    const length = /\r\ncontent-length: *(\d+)/.exec(lower);
    if (length) {
      consumed = bodyStart + Number(length[1]);
      if (this.buffer.length < consumed) return;
      text = this.buffer.toString('utf8', bodyStart, consumed);
    } else if (lower.includes('\r\ntransfer-encoding: chunked')) {
      const parts: Buffer[] = [];
      let at = bodyStart;
      for (;;) {
        const lineEnd = this.buffer.indexOf('\r\n', at);
        if (lineEnd < 0) return;
        const size = parseInt(this.buffer.toString('latin1', at, lineEnd), 16);
        if (this.buffer.length < lineEnd + 2 + size + 2) return;
        if (size === 0) {
          consumed = lineEnd + 4;
          break;
        }
        parts.push(this.buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      text = Buffer.concat(parts).toString('utf8');
    } else {
      consumed = bodyStart;
      text = '';
    }
    this.buffer = this.buffer.subarray(consumed);
    const p = this.pending;
    this.pending = null;
    if (/\r\nconnection: *close/.test(lower)) this.close();
    p.resolve({ status, text });
  }
}

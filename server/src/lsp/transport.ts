import {
  AbstractMessageReader,
  createServerPipeTransport,
  createServerSocketTransport,
  type DataCallback,
  type Disposable,
  ErrorCodes,
  IPCMessageReader,
  IPCMessageWriter,
  type Message,
  type MessageReader,
  type MessageWriter,
  StreamMessageWriter,
} from 'vscode-languageserver/node';
import { contentLengthHeader } from './framing';

/** Largest message body accepted (a 50 MB document opened in the editor fits). */
const MAX_BODY_BYTES = 512 * 1024 * 1024;
/** Longest header block accepted before its blank line. */
const MAX_HEADER_BYTES = 8 * 1024;
const HEADER_END = Buffer.from('\r\n\r\n', 'ascii');

/**
 * A value already encoded as JSON (UTF-8 bytes), sent as it is: the stdio writer copies the
 * bytes into the message instead of encoding the value again (the diagnostics a start
 * publishes from the last check, read from disk as JSON). Anything else that serializes it
 * (another transport, a trace) gets the value through `toJSON`.
 */
export class PreEncodedJson {
  constructor(readonly bytes: Buffer) {}

  toJSON(): unknown {
    return JSON.parse(this.bytes.toString('utf8'));
  }
}

/**
 * Encodes a message as `JSON.stringify` does, but a `PreEncodedJson` in a notification's
 * params (one level down) is copied in as its bytes. Exported for its test.
 */
const encoder = {
  name: 'application/json',
  encode(msg: Message, options: { charset: BufferEncoding }): Promise<Uint8Array> {
    try {
      return Promise.resolve(encodeMessage(msg, options.charset));
    } catch (e) {
      return Promise.reject(e);
    }
  },
};

export function encodeMessage(msg: Message, charset: BufferEncoding): Buffer {
  const params = (msg as { params?: unknown }).params;
  if (
    charset !== 'utf-8' ||
    params === null ||
    typeof params !== 'object' ||
    Array.isArray(params) ||
    !Object.values(params).some((v) => v instanceof PreEncodedJson)
  )
    return Buffer.from(JSON.stringify(msg, undefined, 0), charset);
  // The message without its params, then the params field by field.
  const head = JSON.stringify({ ...msg, params: undefined });
  const parts: Buffer[] = [Buffer.from(`${head.slice(0, -1)}${head === '{}' ? '' : ','}"params":{`, 'utf8')];
  let sep = '';
  for (const [k, v] of Object.entries(params)) {
    if (v instanceof PreEncodedJson) parts.push(Buffer.from(`${sep}${JSON.stringify(k)}:`, 'utf8'), v.bytes);
    else {
      const json = JSON.stringify(v);
      if (json === undefined) continue; // undefined, a function: left out, as JSON.stringify does
      parts.push(Buffer.from(`${sep}${JSON.stringify(k)}:${json}`, 'utf8'));
    }
    sep = ',';
  }
  parts.push(Buffer.from('}}', 'utf8'));
  return Buffer.concat(parts);
}

/**
 * A stream writer that writes each message at once, in the order they are sent. The
 * library's writer queues every message behind a lock released on the next turn of the
 * event loop: the diagnostics a start publishes while it loads (its stored ones) waited
 * until the load was over, as closures in memory, and the client read them only then.
 * Here each is handed to the stream as it is sent; the promise of each still settles only
 * once it is written. Node writes a child's stdout pipe asynchronously: what the pipe does
 * not take waits in the stream and leaves a pipe's worth per turn of the event loop, so
 * a busy server turns it often while output waits (`outputBacklog`).
 */
export class ImmediateStreamWriter extends StreamMessageWriter {
  constructor(private readonly out: NodeJS.WritableStream) {
    super(out, { charset: 'utf-8', contentTypeEncoder: encoder });
  }

  /** Bytes handed to the stream that it has not written yet. */
  get backlog(): number {
    return (this.out as { writableLength?: number }).writableLength ?? 0;
  }

  /** The output's file descriptor, when it has one (stdout does). */
  get fd(): number | undefined {
    const fd = (this.out as { fd?: unknown }).fd;
    return typeof fd === 'number' ? fd : undefined;
  }

  /** The messages sent while the output is lent out (`hold`), in order, and their promises. */
  private held: { bytes: Buffer[]; settle: (() => void)[] } | undefined;

  override write(msg: Message): Promise<void> {
    let body: Buffer;
    try {
      body = encodeMessage(msg, 'utf-8');
    } catch (e) {
      return Promise.reject(e);
    }
    const header = contentLengthHeader(body.byteLength);
    const held = this.held;
    if (held) {
      held.bytes.push(header, body);
      return new Promise((resolve) => held.settle.push(resolve));
    }
    // Settles once the stream has taken the bytes (where stdout is asynchronous, a caller
    // that waits for it now and then keeps what is queued bounded). A stream that has
    // failed reports it through `onError` (the base class listens).
    return new Promise((resolve) => {
      this.out.write(header);
      this.out.write(body, () => resolve());
    });
  }

  /**
   * Holds back every message from now on, when nothing waits to be written: another
   * writer may then use the output's file descriptor until `release`. False when output
   * is still on its way (or already held).
   */
  hold(): boolean {
    if (this.held || this.backlog > 0) return false;
    this.held = { bytes: [], settle: [] };
    return true;
  }

  /** Writes what was held back, in the order it was sent, and writes at once again. */
  release(): void {
    const held = this.held;
    this.held = undefined;
    if (!held || held.bytes.length === 0) return;
    this.out.write(Buffer.concat(held.bytes), () => {
      for (const settle of held.settle) settle();
    });
  }
}

/** The stdio transport's writer, once it is set up. */
let stdioWriter: ImmediateStreamWriter | undefined;

/**
 * The stdio output's file descriptor, lent to another writer (a worker thread that writes
 * whole framed messages): until `release` the connection's messages are held back, then
 * written in the order sent. Undefined on other transports, or while output is still on
 * its way (another writer's bytes would land in the middle of it).
 */
export function lendStdout(): { fd: number; release: () => void } | undefined {
  const writer = stdioWriter;
  const fd = writer?.fd;
  if (!writer || fd === undefined || !writer.hold()) return undefined;
  let released = false;
  return {
    fd,
    release: () => {
      if (released) return;
      released = true;
      writer.release();
    },
  };
}

/**
 * Bytes written to the client over stdio that it has not taken yet (0 on other transports).
 * Node writes a pipe asynchronously: what does not fit leaves only when the event loop
 * turns, a pipe's worth (a few hundred kilobytes) each time.
 */
export function outputBacklog(): number {
  return stdioWriter?.backlog ?? 0;
}

/** The message stream cannot be read any further (the connection must be closed). */
export class FramingError extends Error {}

/**
 * Reads `Content-Length` framed JSON-RPC messages from a stream, strictly: a header
 * block without a valid decimal Content-Length (or with one beyond the limit) is a
 * framing error, after which nothing more can be read. A body that is not JSON is
 * answered with a parse error and skipped; the framing itself is intact then.
 */
export class FramedStreamReader extends AbstractMessageReader {
  private chunks: Buffer[] = [];
  private size = 0;
  private bodyLength = -1;
  private callback: DataCallback | undefined;
  private broken = false;

  constructor(
    private readonly stream: NodeJS.ReadableStream,
    private readonly onUnparsable: (error: Error) => void,
  ) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    const onData = (d: Buffer | string) => this.onData(typeof d === 'string' ? Buffer.from(d) : d);
    const onError = (e: Error) => this.fireError(e);
    const onClose = () => this.fireClose();
    this.stream.on('data', onData);
    this.stream.on('error', onError);
    this.stream.on('end', onClose);
    this.stream.on('close', onClose);
    return {
      dispose: () => {
        this.stream.off('data', onData);
        this.stream.off('error', onError);
        this.stream.off('end', onClose);
        this.stream.off('close', onClose);
      },
    };
  }

  private onData(data: Buffer): void {
    if (this.broken) return;
    this.chunks.push(data);
    this.size += data.length;
    for (;;) {
      if (this.bodyLength === -1) {
        const all = this.joined();
        const end = all.indexOf(HEADER_END);
        if (end === -1) {
          if (all.length > MAX_HEADER_BYTES) this.fail('a header block without its end');
          return;
        }
        const length = contentLength(all.subarray(0, end).toString('latin1'));
        if (typeof length === 'string') {
          this.fail(length);
          return;
        }
        this.bodyLength = length;
        this.take(end + HEADER_END.length);
      }
      if (this.size < this.bodyLength) return;
      const body = this.take(this.bodyLength);
      this.bodyLength = -1;
      let message: unknown;
      try {
        message = JSON.parse(body.toString('utf8'));
      } catch (e) {
        this.onUnparsable(e instanceof Error ? e : new Error(String(e)));
        continue;
      }
      try {
        this.callback?.(message as Message);
      } catch (e) {
        // One message the connection cannot take must not stop the ones after it.
        this.fireError(e instanceof Error ? e : new Error(String(e)));
      }
    }
  }

  private joined(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private take(n: number): Buffer {
    const all = this.joined();
    const head = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.size = rest.length;
    return head;
  }

  private fail(why: string): void {
    this.broken = true;
    this.chunks = [];
    this.size = 0;
    this.fireError(new FramingError(`bad message framing: ${why}`));
  }
}

/** The body length the header block declares, or why it declares none usable. */
function contentLength(headers: string): number | string {
  let length: number | string = 'no Content-Length header';
  for (const line of headers.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) return `a malformed header line ${JSON.stringify(line.slice(0, 80))}`;
    if (line.slice(0, colon).trim().toLowerCase() !== 'content-length') continue;
    const value = line.slice(colon + 1).trim();
    if (!/^\d{1,10}$/.test(value))
      return `Content-Length ${JSON.stringify(value.slice(0, 40))} is not a length`;
    const n = Number(value);
    if (n > MAX_BODY_BYTES) return `Content-Length ${n} exceeds ${MAX_BODY_BYTES} bytes`;
    length = n;
  }
  return length;
}

type LifecycleState = 'uninitialized' | 'running' | 'shutDown';

/**
 * Enforces the protocol's lifecycle in front of the connection: requests before
 * `initialize` are answered with ServerNotInitialized (-32002) and notifications then
 * dropped (except `exit`); a second `initialize` is refused with InvalidRequest and a
 * second `initialized` dropped (they would start the workspace over); after `shutdown`,
 * every request is refused with InvalidRequest and every notification but `exit`
 * dropped. Other messages pass through unchanged.
 */
export class LifecycleReader extends AbstractMessageReader {
  private state: LifecycleState = 'uninitialized';
  private initializedSeen = false;

  get shutDown(): boolean {
    return this.state === 'shutDown';
  }

  constructor(
    private readonly inner: MessageReader,
    private readonly writer: MessageWriter,
  ) {
    super();
    inner.onError((e) => this.fireError(e));
    inner.onClose(() => this.fireClose());
    inner.onPartialMessage((p) => this.firePartialMessage(p));
  }

  listen(callback: DataCallback): Disposable {
    return this.inner.listen((m) => {
      if (this.admit(m)) callback(m);
    });
  }

  private admit(m: Message): boolean {
    const msg = m as { id?: unknown; method?: unknown; params?: unknown };
    if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) {
      this.reply(null, ErrorCodes.InvalidRequest, 'A message must be a JSON object');
      return false;
    }
    const validId = typeof msg.id === 'string' || typeof msg.id === 'number';
    if ('method' in msg && typeof msg.method !== 'string') {
      // Not a response (those carry no method) and no request the connection could answer.
      this.reply(
        validId ? (msg.id as string | number) : null,
        ErrorCodes.InvalidRequest,
        'A method must be a string',
      );
      return false;
    }
    if (typeof msg.method !== 'string') return true; // responses
    if (msg.method === '$/cancelRequest') {
      // The connection would throw on a cancellation without a usable id.
      const id = (msg.params as { id?: unknown } | null | undefined)?.id;
      return typeof id === 'string' || typeof id === 'number';
    }
    const isRequest = 'id' in msg;
    if (!isRequest) {
      if (msg.method === 'exit') return true;
      if (this.state !== 'running') return false;
      if (msg.method === 'initialized') {
        if (this.initializedSeen) return false;
        this.initializedSeen = true;
      }
      return true;
    }
    if (!validId) {
      // JSON-RPC ids are numbers or strings: the library would drop this request unanswered.
      this.reply(
        null,
        ErrorCodes.InvalidRequest,
        `A request id must be a number or a string: ${msg.method} refused`,
      );
      return false;
    }
    const id = msg.id as string | number;
    if (this.state === 'uninitialized' && msg.method !== 'initialize') {
      this.reply(id, ErrorCodes.ServerNotInitialized, `The server is not initialized: ${msg.method} refused`);
      return false;
    }
    if (this.state === 'shutDown') {
      this.reply(id, ErrorCodes.InvalidRequest, `The server is shut down: ${msg.method} refused`);
      return false;
    }
    if (this.state === 'running' && msg.method === 'initialize') {
      this.reply(id, ErrorCodes.InvalidRequest, 'The server is already initialized: initialize refused');
      return false;
    }
    if (msg.method === 'initialize') this.state = 'running';
    else if (msg.method === 'shutdown') this.state = 'shutDown';
    return true;
  }

  private reply(id: string | number | null, code: number, message: string): void {
    void this.writer.write({ jsonrpc: '2.0', id, error: { code, message } } as Message);
  }
}

/**
 * The reader and writer the command line asks for (`--stdio`, `--node-ipc`,
 * `--socket=N`, `--pipe=NAME`; stdio when none), with the lifecycle enforced. A stream
 * that can no longer be read (bad framing) or that closes ends the process: the
 * client restarts the server.
 */
export function serverTransport(
  argv: readonly string[],
  log: (line: string) => void,
  exit: (code: number) => void,
): { reader: MessageReader; writer: MessageWriter } {
  let reader: MessageReader;
  let writer: MessageWriter;
  const option = (name: string): string | undefined => {
    for (let i = 0; i < argv.length; i++) {
      if (argv[i] === name) return argv[i + 1] ?? '';
      if (argv[i].startsWith(`${name}=`)) return argv[i].slice(name.length + 1);
    }
    return undefined;
  };
  const port = option('--socket');
  const pipe = option('--pipe');
  if (argv.includes('--node-ipc')) {
    reader = new IPCMessageReader(process);
    writer = new IPCMessageWriter(process);
  } else if (port !== undefined) {
    [reader, writer] = createServerSocketTransport(Number.parseInt(port, 10));
  } else if (pipe !== undefined) {
    [reader, writer] = createServerPipeTransport(pipe);
  } else {
    stdioWriter = new ImmediateStreamWriter(process.stdout);
    writer = stdioWriter;
    const w = writer;
    reader = new FramedStreamReader(process.stdin, (e) => {
      log(`cdp-workflow: ignored a message that is not JSON (${e.message})`);
      void w.write({
        jsonrpc: '2.0',
        id: null,
        error: { code: ErrorCodes.ParseError, message: 'Parse error' },
      } as Message);
    });
  }
  const guarded = new LifecycleReader(reader, writer);
  guarded.onError((e) => {
    if (!(e instanceof FramingError)) {
      log(`cdp-workflow: ignored an unreadable message (${e.message})`);
      return;
    }
    log(`cdp-workflow: closing the connection: ${e.message}`);
    exit(1);
  });
  guarded.onClose(() => exit(guarded.shutDown ? 0 : 1));
  return { reader: guarded, writer };
}

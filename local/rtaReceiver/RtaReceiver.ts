import { EventEmitter } from 'node:events';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Teleopti's answer to a wrong key, verbatim (docs/reference/teleopti-rta-api.md#answers). */
export const INVALID_KEY_MESSAGE = 'You supplied an invalid authentication key. Please verify the key and try again.';
/** The state Teleopti gives agents a snapshot leaves out. */
export const SNAPSHOT_LOGGED_OUT = 'CCC Logged out';
const MAX_STATE_CODE = 300;

export interface ReceivedBatch {
  receivedAt: number;
  sourceId: string;
  isSnapshot: boolean;
  states: { UserCode: string; StateCode: string }[];
}

export interface Fault {
  /** Answer with this HTTP status instead of processing. */
  status?: number;
  /** Hold the request this long before answering (a client timeout shorter than this sees a timeout). */
  delayMillis?: number;
  /**
   * With `status`: answer with a text/plain page quoting the request body, as a proxy or a debugging error page in front of
   * WFM may do (the body holds the authentication key: clients must treat reply text as untrusted).
   */
  echoBody?: boolean;
  /**
   * Apply the batch, then hold the answer this long: a slow Teleopti that enqueued the states but answered after
   * the client's timeout. The client sees a timeout although WFM holds the states (an unknown outcome).
   */
  delayAfterApplyMillis?: number;
  /** How many requests the fault applies to. */
  count: number;
}

export interface RtaReceiverOptions {
  port?: number;
  host?: string;
  authKey: string;
  /** Known source ids; an unknown one is accepted with 200 and only counted, as Teleopti does asynchronously. */
  sourceIds?: string[];
  /** How many accepted batches `batches` keeps (the oldest go first); counters keep counting. Default 10,000. */
  keepBatches?: number;
  /**
   * Older synchronous Teleopti (docs/reference/teleopti-rta-api.md#answers): user codes outside this set
   * (case-insensitive), and codes Teleopti cannot store, are unknown; a batch naming one applies the known agents, then
   * answers 400 `No person found for UserCode …` for the first unknown one. Unset: the newest version (every code
   * accepted).
   */
  knownUserCodes?: Iterable<string>;
  /** Teleopti's data source id, as it appears in the 400 text. */
  dataSourceId?: number;
}

/** The old synchronous Teleopti's answer to an unknown user code (docs/reference/teleopti-rta-api.md#answers). */
export const unknownUserCodeMessage = (userCode: string, dataSourceId: number, sourceId: string): string =>
  `No person found for UserCode ${userCode}, DataSourceId ${dataSourceId}, SourceId ${sourceId}`;

/** What `agent_info.orig_agent_id` (nvarchar(50)) can hold: no control characters, no surrounding spaces. */
const storableUserCode = (code: string): boolean =>
  code.length > 0 && code.length <= 50 && code.trim() === code && !/\p{Cc}/u.test(code);

/**
 * A local Teleopti RTA JSON endpoint that enforces the documented contract (docs/reference/teleopti-rta-api.md): POST
 * /Rta/State/Batch and /Rta/State/Change, key checked synchronously (400 with Teleopti's message), null or
 * over-long state codes and unparsable bodies → 500, unknown sources and user codes accepted (200), snapshots log
 * out every agent of the source they leave out. It holds what WFM would hold, for tests, `npm start` and the board.
 */
export class RtaReceiver extends EventEmitter {
  /** The most recent accepted batches (at most `keepBatches`). */
  readonly batches: ReceivedBatch[] = [];
  /** Accepted batches and the states they carried, since start. */
  totalBatches = 0;
  totalStates = 0;
  readonly unknownSourceBatches: ReceivedBatch[] = [];
  /** Requests answered with an error, by reason. */
  readonly rejections: { status: number; reason: string }[] = [];
  private readonly states = new Map<string, { stateCode: string; sourceId: string; at: number }>();
  private faults: Fault[] = [];
  private readonly knownUserCodes: Set<string> | undefined;
  private inFlight = 0;
  private maxInFlight = 0;

  private constructor(
    private readonly server: Server,
    private readonly options: RtaReceiverOptions,
  ) {
    super();
    if (options.knownUserCodes) this.knownUserCodes = new Set([...options.knownUserCodes].map((c) => c.toLowerCase()));
  }

  static async start(options: RtaReceiverOptions): Promise<RtaReceiver> {
    const server = createServer();
    const receiver = new RtaReceiver(server, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void receiver.handle(req, res));
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    return receiver;
  }

  get url(): string {
    const address = this.server.address() as AddressInfo;
    return `http://${address.address}:${address.port}`;
  }

  /** What WFM currently holds per user code. */
  currentStates(): Map<string, string> {
    return new Map([...this.states].map(([userCode, s]) => [userCode, s.stateCode]));
  }

  /** The most requests that were ever being processed at the same time (1 proves strict ordering). */
  get maxConcurrentRequests(): number {
    return this.maxInFlight;
  }

  injectFaults(fault: Fault): void {
    this.faults.push({ ...fault });
  }

  /** Ends every injected fault (an outage of unknown length is over). */
  clearFaults(): void {
    this.faults = [];
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const body = await readBody(req);
      const fault = this.takeFault();
      if (fault?.delayMillis) {
        await new Promise((r) => setTimeout(r, fault.delayMillis));
        // The client gave up (timeout) before Teleopti enqueued anything: nothing is applied.
        if (req.socket.destroyed) return void this.rejections.push({ status: 0, reason: 'client gone' });
      }
      if (fault?.status && fault.echoBody) return this.echo(res, fault.status, body);
      if (fault?.status) return this.reply(res, fault.status, { Message: 'injected fault' }, 'injected');
      const path = (req.url ?? '').split('?')[0];
      if (path !== '/Rta/State/Batch' && path !== '/Rta/State/Change')
        return this.reply(res, 404, { Message: 'Not found' }, 'path');
      if (req.method !== 'POST') return this.reply(res, 405, { Message: 'Method not allowed' }, 'method');
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        return this.reply(res, 500, { Message: 'An error has occurred.' }, 'unparsable body');
      }
      const model = (path === '/Rta/State/Change' ? toBatch(parsed) : parsed) as Record<string, unknown> | null;
      if (!model || typeof model !== 'object')
        return this.reply(res, 500, { Message: 'An error has occurred.' }, 'no body');
      if (model.AuthenticationKey !== this.options.authKey)
        return this.reply(res, 400, { Message: INVALID_KEY_MESSAGE }, 'key');
      if (!Array.isArray(model.States))
        return this.reply(res, 500, { Message: 'An error has occurred.' }, 'States missing');
      const states: ReceivedBatch['states'] = [];
      for (const s of model.States as Record<string, unknown>[]) {
        if (typeof s?.StateCode !== 'string')
          return this.reply(res, 500, { Message: 'State code is required' }, 'state code');
        if (s.StateCode.length > MAX_STATE_CODE)
          return this.reply(res, 500, { Message: 'State code can not exceed 300 characters' }, 'state code length');
        states.push({ UserCode: String(s.UserCode ?? ''), StateCode: s.StateCode });
      }
      const batch: ReceivedBatch = {
        receivedAt: Date.now(),
        sourceId: String(model.SourceId ?? ''),
        isSnapshot: model.IsSnapshot === true,
        states,
      };
      // Applied before answering, so whoever sees the 200 also sees the state (Teleopti enqueues synchronously).
      const unknown = this.knownUserCodes ? states.find((s) => !this.isKnownUser(s.UserCode)) : undefined;
      this.apply({ ...batch, states: states.filter((s) => s !== unknown && this.isKnownUser(s.UserCode)) });
      if (fault?.delayAfterApplyMillis) {
        await new Promise((r) => setTimeout(r, fault.delayAfterApplyMillis));
        if (req.socket.destroyed) return void this.rejections.push({ status: 0, reason: 'client gone after apply' });
      }
      if (unknown) {
        const message = unknownUserCodeMessage(unknown.UserCode, this.options.dataSourceId ?? 1, batch.sourceId);
        return this.reply(res, 400, { Message: message }, 'unknown user code');
      }
      this.reply(res, 200, undefined, undefined);
    } finally {
      this.inFlight--;
    }
  }

  private apply(batch: ReceivedBatch): void {
    if (this.options.sourceIds && !this.options.sourceIds.includes(batch.sourceId)) {
      this.unknownSourceBatches.push(batch);
      return;
    }
    this.batches.push(batch);
    if (this.batches.length > (this.options.keepBatches ?? 10_000)) this.batches.shift();
    this.totalBatches++;
    this.totalStates += batch.states.length;
    // The newest code keeps the last occurrence of a user code within one batch.
    for (const s of batch.states)
      this.states.set(s.UserCode.toLowerCase(), {
        stateCode: s.StateCode,
        sourceId: batch.sourceId,
        at: batch.receivedAt,
      });
    if (batch.isSnapshot) {
      const inSnapshot = new Set(batch.states.map((s) => s.UserCode.toLowerCase()));
      for (const [userCode, s] of this.states)
        if (s.sourceId === batch.sourceId && !inSnapshot.has(userCode))
          this.states.set(userCode, { ...s, stateCode: SNAPSHOT_LOGGED_OUT, at: batch.receivedAt });
    }
    this.emit('batch', batch);
  }

  /** Add a person with this user code (old mode): from now on its states are applied. */
  addKnownUserCode(userCode: string): void {
    this.knownUserCodes?.add(userCode.toLowerCase());
  }

  private isKnownUser(userCode: string): boolean {
    if (!this.knownUserCodes) return true;
    return storableUserCode(userCode) && this.knownUserCodes.has(userCode.toLowerCase());
  }

  private takeFault(): Fault | undefined {
    const fault = this.faults[0];
    if (!fault) return undefined;
    if (--fault.count <= 0) this.faults.shift();
    return fault;
  }

  private echo(res: ServerResponse, status: number, request: string): void {
    this.rejections.push({ status, reason: 'injected echo' });
    const body = `Request rejected by upstream. Request body: ${request}`;
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }

  private reply(res: ServerResponse, status: number, body: unknown, reason: string | undefined): void {
    if (reason) this.rejections.push({ status, reason });
    if (body === undefined) {
      res.writeHead(status, { 'Content-Length': '0' });
      res.end();
    } else {
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(text),
      });
      res.end(text);
    }
  }
}

function toBatch(single: unknown): unknown {
  if (!single || typeof single !== 'object') return single;
  const s = single as Record<string, unknown>;
  return {
    AuthenticationKey: s.AuthenticationKey,
    SourceId: s.SourceId,
    IsSnapshot: false,
    States: [{ UserCode: s.UserCode, StateCode: s.StateCode }],
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

import { createHash } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectApiError, invalidRequest } from './connectApiErrors';
import { TokenBucket } from './TokenBucket';
import { type FilterKind, validateFilters } from './userDataFilters';

export interface FakeContact {
  contactId: string;
  /** VOICE | CHAT | TASK | EMAIL */
  channel: string;
  /** AgentContactState: INCOMING, PENDING, CONNECTING, CONNECTED, CONNECTED_ONHOLD, MISSED, ERROR, ENDED, REJECTED */
  state: string;
  initiationMethod?: string;
  stateStartMillis: number;
  queueId?: string;
}

/** One user of the instance and, while logged in, what GetCurrentUserData reports for them. */
export interface FakeAgent {
  userId: string;
  /** The agent ARN the stream uses, when it was learnt from the stream (else built from this instance). */
  arn?: string;
  username: string;
  routingProfileId: string;
  hierarchyGroupId?: string;
  loggedIn: boolean;
  status: { name: string; startMillis: number };
  nextStatus?: string;
  contacts: FakeContact[];
}

export interface FakeConnectApiOptions {
  instanceId: string;
  accountId?: string;
  region?: string;
  /** Per operation, as Connect's quotas are per API: steady requests per second and burst. Default 1000/1000. */
  rateLimit?: { perSecond: number; burst: number };
  port?: number;
  host?: string;
  /**
   * `observe` takes the events of any instance (the simulator's instance gets new ids every simulated day) and the
   * agents keep the ARNs the stream gave them.
   */
  observeAnyInstance?: boolean;
}

type Operation = 'GetCurrentUserData' | 'ListUsers' | 'ListRoutingProfiles';

const MAX_USER_DATA_RESULTS = 100;
const MAX_LIST_RESULTS = 1000;
const DEFAULT_LIST_RESULTS = 100;

/**
 * An in-process stand-in for the three Amazon Connect calls the consumer makes, following the REST-JSON shapes of
 * the API Reference: `POST /metrics/userdata/{InstanceId}` (GetCurrentUserData), `GET /users-summary/{InstanceId}`
 * (ListUsers), `GET /routing-profiles-summary/{InstanceId}` (ListRoutingProfiles). It enforces what a client can
 * get wrong: a signed request (403 otherwise), the instance (404 ResourceNotFoundException), the filter rules and
 * page sizes (400 InvalidRequestException), NextToken paging (a token belongs to its own query), and throttling
 * (429 TooManyRequestsException, one token bucket per operation). No public emulator implements these calls.
 */
export class FakeConnectApi {
  readonly agents = new Map<string, FakeAgent>();
  readonly routingProfiles = new Map<string, string>();
  /** Answered calls per operation (throttled and rejected ones included). */
  readonly calls: Record<Operation, number> = { GetCurrentUserData: 0, ListUsers: 0, ListRoutingProfiles: 0 };
  throttled = 0;
  readonly rejections: { status: number; type: string; message: string }[] = [];
  /** The largest GetCurrentUserData page served and the most filter values seen in one call. */
  largestPage = 0;
  largestFilter = 0;
  private readonly buckets = new Map<Operation, TokenBucket>();
  private forcedThrottles = 0;
  private readonly accountId: string;
  private readonly region: string;

  private constructor(
    private readonly server: Server,
    private readonly options: FakeConnectApiOptions,
  ) {
    this.accountId = options.accountId ?? '123456789012';
    this.region = options.region ?? 'us-east-1';
    const limit = options.rateLimit ?? { perSecond: 1000, burst: 1000 };
    for (const op of Object.keys(this.calls) as Operation[])
      this.buckets.set(op, new TokenBucket(limit.perSecond, limit.burst));
  }

  static async start(options: FakeConnectApiOptions): Promise<FakeConnectApi> {
    const server = createServer();
    const api = new FakeConnectApi(server, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void api.handle(req, res));
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    return api;
  }

  get url(): string {
    const address = this.server.address() as AddressInfo;
    return `http://${address.address}:${address.port}`;
  }

  get instanceArn(): string {
    return `arn:aws:connect:${this.region}:${this.accountId}:instance/${this.options.instanceId}`;
  }

  userArn(userId: string): string {
    return `${this.instanceArn}/agent/${userId}`;
  }

  get totalCalls(): number {
    return this.calls.GetCurrentUserData + this.calls.ListUsers + this.calls.ListRoutingProfiles;
  }

  /** The next `count` requests are throttled (429) whatever the quota: throttling on demand. */
  throttleNext(count: number): void {
    this.forcedThrottles += count;
  }

  upsertAgent(agent: FakeAgent): void {
    this.agents.set(agent.userId, agent);
    if (!this.routingProfiles.has(agent.routingProfileId))
      this.routingProfiles.set(agent.routingProfileId, agent.routingProfileId);
  }

  /** Connect's view changes as the simulated instance publishes its agent events (LOGOUT: no longer reported). */
  observe(event: ObservedAgentEvent): void {
    const match = /\/instance\/([^/]+)\/agent\/([^/]+)$/.exec(event.AgentARN ?? '');
    if (!match || (match[1] !== this.options.instanceId && !this.options.observeAnyInstance)) return;
    const userId = match[2]!;
    const known = this.agents.get(userId);
    const snapshot = event.CurrentAgentSnapshot;
    const username = snapshot?.Configuration?.Username ?? known?.username;
    if (!username) return;
    const profileArn = snapshot?.Configuration?.RoutingProfile?.ARN;
    const routingProfileId = profileArn?.split('/').pop() ?? known?.routingProfileId ?? 'default';
    if (profileArn) this.routingProfiles.set(routingProfileId, snapshot?.Configuration?.RoutingProfile?.Name ?? '');
    const at = Date.parse(event.EventTimestamp ?? '') || Date.now();
    // LOGOUT: no longer reported; heartbeats go on for an hour after it and change nothing.
    const loggedIn =
      event.EventType === 'LOGOUT' ? false : event.EventType === 'HEART_BEAT' ? (known?.loggedIn ?? false) : true;
    const status = snapshot?.AgentStatus?.Name
      ? { name: snapshot.AgentStatus.Name, startMillis: Date.parse(snapshot.AgentStatus.StartTimestamp ?? '') || at }
      : (known?.status ?? { name: 'Offline', startMillis: at });
    this.upsertAgent({
      userId,
      arn: event.AgentARN,
      username,
      routingProfileId,
      loggedIn,
      status,
      nextStatus: snapshot?.NextAgentStatus?.Name ?? undefined,
      contacts: (snapshot?.Contacts ?? []).map((c) => ({
        contactId: c.ContactId ?? '',
        channel: c.Channel ?? 'VOICE',
        state: c.State ?? 'CONNECTED',
        initiationMethod: c.InitiationMethod,
        stateStartMillis: Date.parse(c.StateStartTimestamp ?? '') || at,
        queueId: c.Queue?.ARN?.split('/').pop(),
      })),
    });
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = this.route(req.method ?? 'GET', url.pathname);
    try {
      if (!route) throw new ConnectApiError(404, 'UnknownOperationException', `no operation at ${url.pathname}`);
      this.calls[route.op]++;
      if (!/^AWS4-HMAC-SHA256 Credential=/.test(String(req.headers.authorization ?? '')))
        throw new ConnectApiError(403, 'AccessDeniedException', 'Missing Authentication Token');
      const forced = this.forcedThrottles > 0;
      if (forced) this.forcedThrottles--;
      if (forced || !this.buckets.get(route.op)!.take()) {
        this.throttled++;
        throw new ConnectApiError(429, 'TooManyRequestsException', 'Rate exceeded');
      }
      if (route.instanceId !== this.options.instanceId)
        throw new ConnectApiError(404, 'ResourceNotFoundException', `instance ${route.instanceId} not found`);
      const answer =
        route.op === 'GetCurrentUserData'
          ? this.currentUserData(parseJson(body))
          : route.op === 'ListUsers'
            ? this.listUsers(url.searchParams)
            : this.listRoutingProfiles(url.searchParams);
      send(res, 200, answer);
    } catch (error) {
      const e =
        error instanceof ConnectApiError ? error : new ConnectApiError(500, 'InternalServiceException', String(error));
      if (e.status !== 429) this.rejections.push({ status: e.status, type: e.type, message: e.message });
      send(res, e.status, { Message: e.message }, { 'x-amzn-errortype': e.type });
    }
  }

  private route(method: string, path: string): { op: Operation; instanceId: string } | undefined {
    const m = /^\/(metrics\/userdata|users-summary|routing-profiles-summary)\/([^/]+)$/.exec(path);
    if (!m) return undefined;
    const instanceId = decodeURIComponent(m[2]!);
    if (m[1] === 'metrics/userdata' && method === 'POST') return { op: 'GetCurrentUserData', instanceId };
    if (m[1] === 'users-summary' && method === 'GET') return { op: 'ListUsers', instanceId };
    if (m[1] === 'routing-profiles-summary' && method === 'GET') return { op: 'ListRoutingProfiles', instanceId };
    return undefined;
  }

  private currentUserData(request: Record<string, unknown>): unknown {
    const filter = validateFilters(request.Filters);
    const max = request.MaxResults ?? MAX_USER_DATA_RESULTS;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > MAX_USER_DATA_RESULTS)
      throw invalidRequest(`MaxResults must be between 1 and ${MAX_USER_DATA_RESULTS}`);
    this.largestFilter = Math.max(this.largestFilter, filter.values.size);
    const matching = [...this.agents.values()].filter(
      (a) =>
        a.loggedIn &&
        this.matches(a, filter.kind, filter.values) &&
        (!filter.states || a.contacts.some((c) => filter.states!.has(c.state))),
    );
    const query = queryKey(request.Filters);
    const { items, nextToken } = page(matching, max, request.NextToken, query);
    this.largestPage = Math.max(this.largestPage, items.length);
    return {
      UserDataList: items.map((a) => this.userData(a)),
      ApproximateTotalCount: matching.length,
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
  }

  private matches(a: FakeAgent, kind: FilterKind, values: Set<string>): boolean {
    const rpArn = `${this.instanceArn}/routing-profile/${a.routingProfileId}`;
    switch (kind) {
      case 'RoutingProfiles':
        return values.has(a.routingProfileId) || values.has(rpArn);
      case 'Agents':
        return values.has(a.userId) || values.has(this.userArn(a.userId));
      case 'UserHierarchyGroups':
        return a.hierarchyGroupId !== undefined && values.has(a.hierarchyGroupId);
      case 'Queues':
        return a.contacts.some((c) => c.queueId !== undefined && values.has(c.queueId));
    }
  }

  private userData(a: FakeAgent): unknown {
    const seconds = (ms: number) => ms / 1000;
    const channels = ['VOICE', 'CHAT', 'TASK', 'EMAIL'];
    const active = Object.fromEntries(channels.map((ch) => [ch, a.contacts.filter((c) => c.channel === ch).length]));
    return {
      User: { Id: a.userId, Arn: a.arn ?? this.userArn(a.userId) },
      RoutingProfile: {
        Id: a.routingProfileId,
        Arn: `${this.instanceArn}/routing-profile/${a.routingProfileId}`,
      },
      Status: {
        StatusStartTimestamp: seconds(a.status.startMillis),
        StatusArn: `${this.instanceArn}/agent-state/${encodeURIComponent(a.status.name)}`,
        StatusName: a.status.name,
      },
      ...(a.nextStatus ? { NextStatus: a.nextStatus } : {}),
      ActiveSlotsByChannel: active,
      MaxSlotsByChannel: { VOICE: 1, CHAT: 3, TASK: 1, EMAIL: 1 },
      AvailableSlotsByChannel: Object.fromEntries(
        channels.map((ch) => [ch, Math.max(0, (ch === 'CHAT' ? 3 : 1) - (active[ch] ?? 0))]),
      ),
      Contacts: a.contacts.map((c) => ({
        ContactId: c.contactId,
        Channel: c.channel,
        InitiationMethod: c.initiationMethod ?? 'INBOUND',
        AgentContactState: c.state,
        StateStartTimestamp: seconds(c.stateStartMillis),
        ...(c.state === 'CONNECTED' || c.state === 'CONNECTED_ONHOLD' || c.state === 'ENDED'
          ? { ConnectedToAgentTimestamp: seconds(c.stateStartMillis) }
          : {}),
        ...(c.queueId ? { Queue: { Id: c.queueId, Arn: `${this.instanceArn}/queue/${c.queueId}` } } : {}),
      })),
    };
  }

  private listUsers(params: URLSearchParams): unknown {
    const users = [...this.agents.values()];
    const { items, nextToken } = page(users, listSize(params), params.get('nextToken') ?? undefined, 'users');
    return {
      UserSummaryList: items.map((u) => ({
        Id: u.userId,
        Arn: u.arn ?? this.userArn(u.userId),
        Username: u.username,
        LastModifiedRegion: this.region,
      })),
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
  }

  private listRoutingProfiles(params: URLSearchParams): unknown {
    const profiles = [...this.routingProfiles.entries()];
    const { items, nextToken } = page(profiles, listSize(params), params.get('nextToken') ?? undefined, 'profiles');
    return {
      RoutingProfileSummaryList: items.map(([id, name]) => ({
        Id: id,
        Arn: `${this.instanceArn}/routing-profile/${id}`,
        Name: name,
        LastModifiedRegion: this.region,
      })),
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
  }
}

/** What `observe` reads of a stream agent event. */
export interface ObservedAgentEvent {
  AgentARN?: string;
  EventType?: string;
  EventTimestamp?: string;
  CurrentAgentSnapshot?: {
    AgentStatus?: { Name?: string; StartTimestamp?: string } | null;
    NextAgentStatus?: { Name?: string } | null;
    Configuration?: { Username?: string; RoutingProfile?: { ARN?: string; Name?: string } | null } | null;
    Contacts?:
      | {
          ContactId?: string;
          Channel?: string;
          State?: string;
          InitiationMethod?: string;
          StateStartTimestamp?: string;
          Queue?: { ARN?: string } | null;
        }[]
      | null;
  } | null;
}

function listSize(params: URLSearchParams): number {
  const raw = params.get('maxResults');
  if (raw === null) return DEFAULT_LIST_RESULTS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIST_RESULTS)
    throw invalidRequest(`maxResults must be between 1 and ${MAX_LIST_RESULTS}`);
  return n;
}

const queryKey = (value: unknown): string =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

/** Offset paging; a token names its query, so a token of another query (or a forged one) is a bad request. */
function page<T>(all: T[], size: number, token: unknown, query: string): { items: T[]; nextToken?: string } {
  let offset = 0;
  if (token !== undefined && token !== null) {
    try {
      const parsed = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as { o: number; q: string };
      if (parsed.q !== query || !Number.isInteger(parsed.o) || parsed.o < 0) throw new Error('foreign token');
      offset = parsed.o;
    } catch {
      throw invalidRequest('The NextToken is invalid');
    }
  }
  const items = all.slice(offset, offset + size);
  const next = offset + size;
  return next < all.length
    ? { items, nextToken: Buffer.from(JSON.stringify({ o: next, q: query })).toString('base64url') }
    : { items };
}

function parseJson(body: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body || '{}');
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // below
  }
  throw new ConnectApiError(400, 'SerializationException', 'the body is not a JSON object');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': createHash('md5').update(`${Date.now()}${Math.random()}`).digest('hex'),
    ...headers,
  });
  res.end(text);
}

import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** An AWS API call as the fault proxy sees it on the wire. */
export interface ProxiedCall {
  /** Order of arrival at the proxy. */
  readonly seq: number;
  /** Arrival time (epoch ms). */
  readonly at: number;
  readonly service: 'dynamodb' | 'sqs' | 'ecs' | 's3' | 'other';
  /** The API operation: `UpdateItem`, `DeleteMessage`, `RunTask`, `PutObject`, `GetObject`… */
  readonly operation: string;
  /** The SDK's attempt number within one call of the API (`amz-sdk-request: attempt=N`): 1 for a first try, more for the SDK's own retries. */
  readonly sdkAttempt: number | undefined;
  /** The sender's `AWS_SDK_UA_APP_ID` (the SDK puts it in the user agent as `app/<id>`); undefined for clients without one. */
  readonly client: string | undefined;
  readonly method: string;
  readonly path: string;
  readonly body: string;
  /** Status the caller got; undefined while the call is held or when its connection was dropped. */
  status?: number;
  /** Name of the fault answered instead of forwarding, if any. */
  fault?: string;
}

/** What the proxy does with a call: forward it to moto, answer a fault, or drop the connection. */
export type FaultAction =
  | { readonly kind: 'forward' }
  | { readonly kind: 'fault'; readonly name: string; readonly status: number; readonly contentType: string; readonly body: string }
  | { readonly kind: 'drop' };

/** A window during which some calls are refused. */
export interface Outage {
  readonly refused: ProxiedCall[];
  /** When the first refused call came (epoch ms); undefined until then. */
  openedAt: number | undefined;
  /** When `end()` was called (epoch ms). */
  endedAt: number | undefined;
  /** Ends the outage now. */
  end(): void;
}

/** Decides a call's fate; may take its time (the call is held meanwhile). Undefined: ask the next rule, or forward. */
export type FaultRule = (call: ProxiedCall) => FaultAction | undefined | Promise<FaultAction | undefined>;

const JSON_10 = 'application/x-amz-json-1.0';
const JSON_11 = 'application/x-amz-json-1.1';

/** An error answer of a JSON-protocol service (`__type` names the error, as the SDK reads it). */
function jsonError(contentType: string, status: number, type: string, message: string): FaultAction {
  return { kind: 'fault', name: type.split('#').pop() ?? type, status, contentType, body: JSON.stringify({ __type: type, message }) };
}

/** Error answers as the real services send them (type, status and content type the SDK parses and classifies). */
export const AWS_FAULTS = {
  /** DynamoDB throttling: the SDK retries it as a throttling error. */
  dynamoThrottled: () => jsonError(JSON_10, 400, 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', 'The level of configured provisioned throughput for the table was exceeded.'),
  dynamoInternalError: () => jsonError(JSON_10, 500, 'com.amazonaws.dynamodb.v20120810#InternalServerError', 'Internal server error'),
  ecsThrottled: () => jsonError(JSON_11, 400, 'ThrottlingException', 'Rate exceeded'),
  /** S3 asking the client to slow down (HTTP 503). */
  s3SlowDown: (): FaultAction => ({
    kind: 'fault',
    name: 'SlowDown',
    status: 503,
    contentType: 'application/xml',
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>FAULTPROXY</RequestId></Error>',
  }),
  /** RunTask accepted but no task placed: Fargate has no capacity (reported in `failures[]`, HTTP 200). */
  ecsNoCapacity: (): FaultAction => ({
    kind: 'fault',
    name: 'RunTask failures: capacity',
    status: 200,
    contentType: JSON_11,
    body: JSON.stringify({ tasks: [], failures: [{ reason: 'Capacity is unavailable at this time. Please try again later or in a different availability zone' }] }),
  }),
} as const;

/**
 * The fault injector: a plain HTTP proxy on loopback in front of moto (which
 * cannot inject faults itself). Every AWS call of the pipeline goes through
 * it when the pipeline is created with `proxy.endpoint`; rules, added and
 * removed while a test runs, look at each call (service, operation, sender,
 * body) and answer real AWS error responses (throttling, SlowDown, RunTask
 * capacity failures), hold a call, or drop its connection. The calls it saw
 * are kept in order, for assertions such as "the message was deleted only
 * after the result was stored".
 *
 * @example
 * const proxy = await FaultProxy.start(moto.endpoint);
 * const pipeline = await createTestPipeline(proxy.endpoint);
 * const stop = proxy.addRule((call) => (call.operation === 'PutObject' ? AWS_FAULTS.s3SlowDown() : undefined));
 */
export class FaultProxy {
  readonly calls: ProxiedCall[] = [];
  private rules: FaultRule[] = [];

  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
    private readonly target: URL,
  ) {}

  static async start(targetEndpoint: string): Promise<FaultProxy> {
    let proxy: FaultProxy | undefined;
    const server = createServer((req, res) => void proxy!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    proxy = new FaultProxy(server, `http://127.0.0.1:${port}`, new URL(targetEndpoint));
    return proxy;
  }

  /** Adds a rule (asked before the earlier ones); returns a function that removes it. */
  addRule(rule: FaultRule): () => void {
    this.rules.unshift(rule);
    return () => {
      this.rules = this.rules.filter((r) => r !== rule);
    };
  }

  /**
   * An outage: calls that `matches` are answered with `fault()` from the
   * first matching call that `opensOn` (default: the first matching call)
   * until `end()`, or for `durationMs` when given. Returns the refused calls as they come.
   */
  outage(options: { readonly matches: (call: ProxiedCall) => boolean; readonly fault: (call: ProxiedCall) => FaultAction; readonly durationMs?: number; readonly opensOn?: (call: ProxiedCall) => boolean }): Outage {
    const outage: Outage = {
      refused: [],
      openedAt: undefined,
      endedAt: undefined,
      end: () => {
        outage.endedAt = Date.now();
        remove();
      },
    };
    const remove = this.addRule((call) => {
      if (!options.matches(call)) return undefined;
      if (outage.openedAt === undefined) {
        if (options.opensOn && !options.opensOn(call)) return undefined;
        outage.openedAt = Date.now();
      }
      if (options.durationMs !== undefined && Date.now() - outage.openedAt >= options.durationMs) return undefined;
      outage.refused.push(call);
      return options.fault(call);
    });
    return outage;
  }

  /** Calls seen so far that match. */
  seen(filter: Partial<Pick<ProxiedCall, 'service' | 'operation' | 'client'>> & { faulted?: boolean } = {}): ProxiedCall[] {
    return this.calls.filter(
      (c) =>
        (filter.service === undefined || c.service === filter.service) &&
        (filter.operation === undefined || c.operation === filter.operation) &&
        (filter.client === undefined || c.client === filter.client) &&
        (filter.faulted === undefined || (c.fault !== undefined) === filter.faulted),
    );
  }

  async stop(): Promise<void> {
    this.rules = [];
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const call: ProxiedCall = { seq: this.calls.length, at: Date.now(), ...classify(req), client: appIdOf(req.headers['user-agent']), sdkAttempt: sdkAttemptOf(req.headers['amz-sdk-request']), method: req.method ?? 'GET', path: req.url ?? '/', body: body.toString('utf8') };
    this.calls.push(call);
    let action: FaultAction = { kind: 'forward' };
    try {
      for (const rule of [...this.rules]) {
        const decided = await rule(call);
        if (decided) {
          action = decided;
          break;
        }
      }
    } catch (error) {
      action = { kind: 'fault', name: 'rule failed', status: 500, contentType: 'text/plain', body: String(error) };
    }
    if (action.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (action.kind === 'fault') {
      call.fault = action.name;
      call.status = action.status;
      res.writeHead(action.status, { 'content-type': action.contentType, 'x-amzn-requestid': 'FAULTPROXY', 'content-length': Buffer.byteLength(action.body) });
      res.end(action.body);
      return;
    }
    this.forward(req, res, body, call);
  }

  private forward(req: IncomingMessage, res: ServerResponse, body: Buffer, call: ProxiedCall): void {
    const upstream = httpRequest(
      { host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        call.status = answer.statusCode;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => req.socket.destroy());
    upstream.end(body);
  }
}

/** Service and operation of a call: JSON protocols name it in X-Amz-Target; S3 (path style) by method and path. */
function classify(req: IncomingMessage): Pick<ProxiedCall, 'service' | 'operation'> {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') {
    const [prefix = '', operation = ''] = target.split('.');
    if (prefix.startsWith('DynamoDB')) return { service: 'dynamodb', operation };
    if (prefix === 'AmazonSQS') return { service: 'sqs', operation };
    if (prefix.startsWith('AmazonEC2ContainerService')) return { service: 'ecs', operation };
    return { service: 'other', operation };
  }
  const url = new URL(req.url ?? '/', 'http://proxy');
  const [bucket, ...key] = url.pathname.split('/').filter(Boolean);
  if (!bucket || url.pathname.startsWith('/moto-api')) return { service: 'other', operation: `${req.method} ${url.pathname}` };
  const onObject = key.length > 0;
  const operation =
    req.method === 'PUT' ? (onObject ? 'PutObject' : 'CreateBucket') : req.method === 'GET' ? (onObject ? 'GetObject' : 'ListObjects') : req.method === 'HEAD' ? (onObject ? 'HeadObject' : 'HeadBucket') : `${req.method} ${onObject ? 'object' : 'bucket'}`;
  // EC2 (query protocol, POST /) and others land here too: only S3 addresses buckets by path.
  return req.method === 'POST' && !onObject ? { service: 'other', operation: 'POST' } : { service: 's3', operation };
}

function sdkAttemptOf(header: string | string[] | undefined): number | undefined {
  const attempt = (Array.isArray(header) ? header[0] : header)?.match(/attempt=(\d+)/)?.[1];
  return attempt ? Number(attempt) : undefined;
}

/** The `app/<id>` the SDK adds to the user agent from AWS_SDK_UA_APP_ID. */
function appIdOf(userAgent: string | undefined): string | undefined {
  return userAgent?.match(/(?:^| )app\/([^ ]+)/)?.[1];
}

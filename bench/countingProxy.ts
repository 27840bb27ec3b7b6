import { createServer, request, type IncomingHttpHeaders } from 'node:http';

/** A loopback proxy in front of the emulator that counts the AWS API calls passing through it. */
export interface CountingProxy {
  readonly endpoint: string;
  /** Calls since the last reset, by "service Action" (e.g. "dynamodb PutItem", "sqs SendMessageBatch", "s3 PUT"). */
  counts(): Record<string, number>;
  total(): number;
  reset(): void;
  stop(): Promise<void>;
}

/**
 * The API call a request is: JSON protocols (DynamoDB, SQS, ECS) name it in
 * `X-Amz-Target`, query protocols (EC2, STS) in the `Action` form field, and
 * S3 by its method.
 */
export function apiCallOf(method: string, headers: IncomingHttpHeaders, body: string): string {
  const target = headers['x-amz-target'];
  if (typeof target === 'string') {
    const [prefix = '', action = ''] = target.split('.');
    const service = prefix.startsWith('DynamoDB') ? 'dynamodb' : prefix.startsWith('AmazonSQS') ? 'sqs' : prefix.startsWith('AmazonEC2ContainerService') ? 'ecs' : prefix;
    return `${service} ${action}`;
  }
  const action = /(?:^|&)Action=([^&]+)/.exec(body)?.[1];
  const service = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(String(headers.authorization ?? ''))?.[1] ?? '?';
  if (action) return `${service} ${decodeURIComponent(action)}`;
  return `${service} ${method}`;
}

/**
 * Starts the proxy on a free loopback port, forwarding every request to
 * `upstream` unchanged. Counting at the wire counts every process alike: the
 * in-process dispatcher and the runner processes the Fargate agent starts.
 *
 * @example const proxy = await startCountingProxy(moto.endpoint); ...; proxy.counts()['sqs SendMessage']
 */
export async function startCountingProxy(upstream: string): Promise<CountingProxy> {
  const target = new URL(upstream);
  let counts: Record<string, number> = {};
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      // Only moto's own control API is left uncounted.
      if (!req.url?.startsWith('/moto-api')) {
        const call = apiCallOf(req.method ?? 'GET', req.headers, body.subarray(0, 4096).toString('utf8'));
        counts[call] = (counts[call] ?? 0) + 1;
      }
      const forward = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      });
      forward.on('error', (error) => {
        res.writeHead(502);
        res.end(String(error));
      });
      forward.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts: () => ({ ...counts }),
    total: () => Object.values(counts).reduce((sum, n) => sum + n, 0),
    reset: () => {
      counts = {};
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

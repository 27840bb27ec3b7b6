import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A loopback proxy in front of moto that hands it DynamoDB calls one at a
 * time, and everything else (SQS long polls, S3, ECS) as they come.
 *
 * Why: DynamoDB applies each single-item write atomically, condition included;
 * moto serves requests on threads and applies an UpdateItem attribute by
 * attribute without a lock, so two concurrent conditional ADDs on one item can
 * both pass their condition or lose one another's increment (seen here: four
 * concurrent reservations under a cap of three all granted; 3 launches ADDed,
 * 1 counted). Tests of code that relies on item-level atomicity (the spend
 * ledger) put this proxy between their clients and moto; the callers stay
 * concurrent, only moto's side is made atomic, as DynamoDB is. It does not
 * serialise anything DynamoDB itself would not (each call is one item write
 * or read, answered in order of arrival).
 *
 * @example
 * const proxy = await AtomicDynamoProxy.start(moto.endpoint);
 * const pipeline = await createTestPipeline(proxy.endpoint);
 * await proxy.stop();
 */
export class AtomicDynamoProxy {
  /** DynamoDB calls forwarded so far. */
  dynamoCalls = 0;
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
    private readonly target: URL,
  ) {}

  static async start(targetEndpoint: string): Promise<AtomicDynamoProxy> {
    let proxy: AtomicDynamoProxy | undefined;
    const server = createServer((req, res) => void proxy!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    proxy = new AtomicDynamoProxy(server, `http://127.0.0.1:${port}`, new URL(targetEndpoint));
    return proxy;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const target = req.headers['x-amz-target'];
    if (typeof target !== 'string' || !target.startsWith('DynamoDB')) {
      this.forward(req, res, body);
      return;
    }
    this.dynamoCalls += 1;
    // Chained: the next DynamoDB call goes to moto once the previous answer has fully arrived.
    const turn = this.queue.then(() => this.forward(req, res, body));
    this.queue = turn.catch(() => undefined);
    await turn.catch(() => undefined);
  }

  /** Forwards a call; resolves when moto's answer has been passed on whole (or the call failed). */
  private forward(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    return new Promise((resolve) => {
      const upstream = httpRequest({ host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', resolve);
        answer.on('error', resolve);
      });
      upstream.on('error', () => {
        req.socket.destroy();
        resolve();
      });
      upstream.end(body);
    });
  }
}

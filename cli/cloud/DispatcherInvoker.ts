import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { HeadlessWorkersError } from '../../workers/errors.js';

/**
 * How the CLI reaches the dispatcher: Lambda Invoke in the cloud; in tests
 * (moto's Lambda needs Docker) the handler called in-process behind the same
 * interface.
 */
export interface DispatcherInvoker {
  /** Sends a payload, returns the dispatcher's JSON answer. */
  invoke(payload: Record<string, unknown>): Promise<unknown>;
  /** Where the answers come from, for messages (`lambda:HeadlessWorkers-Dispatcher...`). */
  readonly description: string;
}

/** The dispatcher could not be invoked, or it failed (as opposed to refusing the input). */
export class DispatcherError extends HeadlessWorkersError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DispatcherError';
  }
}

/**
 * Invokes the deployed dispatcher Lambda synchronously (RequestResponse), as
 * `aws lambda invoke` does.
 *
 * @example
 * const invoker = new LambdaDispatcherInvoker(new LambdaClient({}), 'HeadlessWorkers-DispatcherFunction-abc');
 * await invoker.invoke({ action: 'status' });
 */
export class LambdaDispatcherInvoker implements DispatcherInvoker {
  readonly description: string;

  constructor(
    private readonly lambda: LambdaClient,
    private readonly functionName: string,
  ) {
    this.description = `lambda:${functionName}`;
  }

  async invoke(payload: Record<string, unknown>): Promise<unknown> {
    let response;
    try {
      response = await this.lambda.send(
        new InvokeCommand({ FunctionName: this.functionName, InvocationType: 'RequestResponse', Payload: Buffer.from(JSON.stringify(payload)) }),
      );
    } catch (error) {
      throw new DispatcherError(`cannot invoke the dispatcher ${this.functionName}: ${(error as Error).name}: ${(error as Error).message}`, { cause: error });
    }
    const text = response.Payload ? Buffer.from(response.Payload).toString('utf8') : '';
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      throw new DispatcherError(`the dispatcher ${this.functionName} answered something that is not JSON: ${text.slice(0, 200)}`);
    }
    if (response.FunctionError) {
      const message = (body as { errorMessage?: string } | undefined)?.errorMessage ?? text;
      throw new DispatcherError(`the dispatcher ${this.functionName} failed (${response.FunctionError}): ${message}`);
    }
    return body;
  }
}

/**
 * A dispatcher called as a function in this process, its answers passed
 * through JSON as Lambda would: how tests (and the emulator, whose Lambda
 * needs Docker) put the real handler behind the CLI.
 *
 * @example
 * const invoker = new FunctionDispatcherInvoker((payload) => handler(payload, { awsRequestId: randomUUID() }));
 */
export class FunctionDispatcherInvoker implements DispatcherInvoker {
  readonly description = 'in-process dispatcher';

  constructor(private readonly dispatch: (payload: unknown) => Promise<unknown>) {}

  async invoke(payload: Record<string, unknown>): Promise<unknown> {
    const answer = await this.dispatch(JSON.parse(JSON.stringify(payload)));
    return answer === undefined ? undefined : JSON.parse(JSON.stringify(answer));
  }
}

import type { TriggerPayload } from '../../workers/cloudRuntime/index.js';

export type { DispatchResponse, ErrorResponse, InputProblem } from '../../workers/cloudRuntime/index.js';

/** A request the dispatcher understood. */
export type DispatchRequest =
  /** A worker's schedule ticked (`{"source":"schedule","worker":"audit"}`). */
  | { readonly kind: 'schedule'; readonly worker: string; readonly scheduledTime?: string }
  /** The reconcile schedule (`{"source":"schedule","action":"reconcile"}`). */
  | { readonly kind: 'reconcile' }
  | { readonly kind: 'status' }
  | { readonly kind: 'results'; readonly worker: string; readonly last: number }
  | { readonly kind: 'result'; readonly runId: string }
  /** A manual run (`{"worker":"audit","target":"api","model":"haiku"}`): the payload's fields, parsed. */
  | ({ readonly kind: 'run' } & Omit<TriggerPayload, 'action'>);

/** Lambda's context, the part the dispatcher reads. */
export interface InvocationContext {
  readonly awsRequestId?: string;
  /** Time left before Lambda stops the invocation: how long another try of a request may still be at work. */
  readonly getRemainingTimeInMillis?: () => number;
}

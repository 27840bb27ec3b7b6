/** What a run is doing now, for a terminal progress line or a log. */
export interface ProgressEvent {
  readonly phase: 'context' | 'waiting' | 'model' | 'tool' | 'local' | 'parsing' | 'storing';
  readonly detail: string;
}

export type ProgressListener = (event: ProgressEvent) => void;

/**
 * The target's workspace cannot be fetched for a reason another try will not
 * fix (a refused archive or URL, a missing snapshot, a failed clone): the run
 * is recorded as FAILED with this message.
 */
export class WorkspaceError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WorkspaceError';
  }
}

/**
 * Base error of the headless layer: thrown for programming or configuration mistakes
 * (bad flags, a disabled sandbox without opt-in). Runtime failures of a run (timeout,
 * API errors, a crashed CLI) are not thrown: they come back in the run's outcome.
 */
export class HeadlessError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HeadlessError';
  }
}

/** Invalid options for building the CLI's arguments (turns, budget, allow-list entries). */
export class ClaudeArgsError extends HeadlessError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ClaudeArgsError';
  }
}

/** A run asked for the `disabled` sandbox without the deployer's explicit opt-in. */
export class DisabledSandboxError extends HeadlessError {
  constructor(options?: ErrorOptions) {
    super(
      "sandbox 'disabled' runs Claude Code with --permission-mode bypassPermissions; it needs the deployer's explicit opt-in (allowDisabledSandbox: true) and must never be a default",
      options,
    );
    this.name = 'DisabledSandboxError';
  }
}

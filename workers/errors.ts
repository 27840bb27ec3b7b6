/**
 * Base of the errors the engine reports to a user: the message is written for
 * a person (what is wrong, where, how to fix it), so callers print it as is,
 * never with a stack trace.
 */
export class HeadlessWorkersError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HeadlessWorkersError';
  }
}

/** A configuration file or override that does not fit the catalog. */
export class ConfigError extends HeadlessWorkersError {
  constructor(
    message: string,
    readonly problems: readonly string[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/** A request (CLI arguments, an invoke payload) that names something that does not exist. */
export class InputError extends HeadlessWorkersError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InputError';
  }
}

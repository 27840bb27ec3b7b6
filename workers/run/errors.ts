import { InputError } from '../errors.js';

/**
 * A run asked for something its worker's definition does not allow (a looser
 * sandbox, an unknown model): names the field, the reason and, where there is a
 * short list, the allowed values, so the dispatcher can answer `{field, allowed}`
 * and the task runner can record the message as poison with the same words.
 */
export class RunRejected extends InputError {
  constructor(
    readonly field: string,
    readonly reason: string,
    readonly allowed?: readonly string[],
  ) {
    super(`${field}: ${reason}`);
    this.name = 'RunRejected';
  }
}

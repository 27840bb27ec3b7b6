/**
 * Base error of the SARIF export: thrown for invalid options (an empty tool
 * version, a repository URI that is not absolute), never for odd findings,
 * which are exported as well as they can be or left out with a notification.
 */
export class SarifExportError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SarifExportError';
  }
}

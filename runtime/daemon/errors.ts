/**
 * Errors the control API reports with an HTTP status and a stable code.
 *
 * @module
 */

/** A request that cannot be served as asked (HTTP 4xx). */
export class RequestError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/**
 * Errors meant for the user: one line, no stack trace, exit code 1.
 *
 * @module
 */

/** A failure to report as `ipnctl: message` with exit code 1. */
export class CliError extends Error {
  constructor(message: string, readonly code = 1) {
    super(message);
  }
}

/** Run `fn` and exit with its code; any throw becomes one clean line. */
export async function exitWith(fn: () => Promise<number>): Promise<never> {
  let code: number;
  try {
    code = await fn();
  } catch (e) {
    if (e instanceof CliError) {
      console.error(`ipnctl: ${e.message}`);
      code = e.code;
    } else {
      const msg = e instanceof Error ? e.message : String(e);
      console.error(`ipnctl: internal error: ${msg}`);
      if (Deno.env.get("IPN_DEBUG") && e instanceof Error) console.error(e.stack);
      code = 1;
    }
  }
  Deno.exit(code);
}

/**
 * How commands reach the daemon: connect, or start it first (saying so)
 * when the command changes things and none runs.
 *
 * @module
 */
import {
  ApiError,
  Client,
  daemonRunning,
  DaemonUnreachable,
  socketPath,
  startDaemon,
} from "../api/client.ts";
import { CliError } from "./errors.ts";

/**
 * Connect to ipnd; with `start`, launch it when it is not running (for
 * `host` when given, else for the machine's hostname).
 */
export async function connect(
  opts: { start?: boolean; backend?: string; host?: string } = {},
): Promise<Client> {
  const path = socketPath();
  if (!(await daemonRunning(path))) {
    if (!opts.start) {
      throw new CliError(`ipnd is not running (no socket at ${path}); 'ipnctl apply' starts it`);
    }
    try {
      const pid = await startDaemon(opts.backend ?? "auto", opts.host);
      const host = opts.host ? ` for host ${opts.host}` : "";
      console.error(`ipnctl: started ipnd${host} in the background (pid ${pid})`);
    } catch (e) {
      if (e instanceof DaemonUnreachable) throw new CliError(e.message);
      throw e;
    }
  }
  return new Client(path);
}

/** Who is asking, for the history: the sudo user if any, else the user. */
export function requester(): string {
  const user = Deno.env.get("SUDO_USER") ?? Deno.env.get("USER") ?? Deno.env.get("LOGNAME");
  const uid = Deno.uid();
  return user ? `${user}` : `uid ${uid}`;
}

/** `120s`, `2m`, `1h`, `500ms` or plain seconds, as milliseconds. */
export function parseDuration(text: string, what: string): number {
  const m = text.trim().match(/^(\d+(?:\.\d+)?)(ms|s|m|h)?$/);
  if (!m) throw new CliError(`${what}: '${text}' is not a duration (e.g. 120s, 2m, 500ms)`);
  const n = Number(m[1]);
  const unit = m[2] ?? "s";
  return Math.round(n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]!);
}

/**
 * Run `fn` with a client of ipnd, closed afterwards; the daemon's errors
 * become one-line CLI errors prefixed with the command's name.
 */
export async function withDaemon<T>(
  command: string,
  opts: { start?: boolean; backend?: string; host?: string },
  fn: (client: Client) => Promise<T>,
): Promise<T> {
  const client = await connect(opts);
  try {
    return await fn(client);
  } catch (e) {
    if (e instanceof ApiError) throw new CliError(`${command}: ${e.message}`);
    throw e;
  } finally {
    client.close();
  }
}

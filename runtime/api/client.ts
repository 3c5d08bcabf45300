/**
 * ipnctl's side of the control API: find the daemon's socket, start the
 * daemon when asked and none runs, make requests, read streamed events.
 *
 * @module
 */
import { join } from "node:path";
import { runDir, stateDir } from "../state/paths.ts";
import { API_PREFIX, ApplyEvent } from "./schema.ts";

/** The control socket: IPN_SOCKET, else RUN_DIR/ipnd.sock. */
export function socketPath(): string {
  return Deno.env.get("IPN_SOCKET") ?? join(runDir(), "ipnd.sock");
}

/** The daemon could not be reached; `message` says why and what to do. */
export class DaemonUnreachable extends Error {}

/** An error the daemon answered with. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export class Client {
  #http: Deno.HttpClient;
  constructor(readonly path = socketPath()) {
    this.#http = Deno.createHttpClient({ proxy: { transport: "unix", path } });
  }

  close() {
    this.#http.close();
  }

  async #fetch(method: string, route: string, body?: unknown): Promise<Response> {
    try {
      return await fetch(`http://ipnd${API_PREFIX}${route}`, {
        method,
        client: this.#http,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw unreachable(this.path, e);
    }
  }

  /** A plain JSON request. */
  async call<T = unknown>(method: string, route: string, body?: unknown): Promise<T> {
    const res = await this.#fetch(method, route, body);
    const text = await res.text();
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new ApiError(
        res.status,
        "bad-response",
        `ipnd answered ${res.status} with a body that is not JSON`,
      );
    }
    if (!res.ok) {
      const err = (data as { error?: { code?: string; message?: string } }).error;
      throw new ApiError(res.status, err?.code ?? "error", err?.message ?? `HTTP ${res.status}`);
    }
    return data as T;
  }

  /** A streamed request: calls `onEvent` for each line; returns the last. */
  async stream(
    route: string,
    body: unknown,
    onEvent: (e: ApplyEvent) => void,
  ): Promise<ApplyEvent> {
    const res = await this.#fetch("POST", route, body);
    if (!res.ok || !res.body) {
      const text = await res.text();
      let msg = `HTTP ${res.status}`;
      let code = "error";
      try {
        const e = JSON.parse(text).error;
        msg = e.message;
        code = e.code;
      } catch { /* keep the status */ }
      throw new ApiError(res.status, code, msg);
    }
    let last: ApplyEvent | undefined;
    let buf = "";
    const dec = new TextDecoder();
    for await (const chunk of res.body) {
      buf += dec.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!line.trim()) continue;
        const e = ApplyEvent.parse(JSON.parse(line));
        last = e;
        onEvent(e);
      }
    }
    if (!last || (last.event !== "result" && last.event !== "error")) {
      throw new ApiError(
        502,
        "cut-off",
        "the connection to ipnd ended before the operation reported its result",
      );
    }
    return last;
  }
}

function unreachable(path: string, e: unknown): DaemonUnreachable {
  const msg = (e as Error).message ?? String(e);
  if (/permission denied|EACCES/i.test(msg)) {
    return new DaemonUnreachable(
      `permission denied on ${path}: the control socket is root-only (or granted to a group)`,
    );
  }
  if (/No such file|ENOENT|Connection refused|ECONNREFUSED/i.test(msg)) {
    return new DaemonUnreachable(`ipnd is not running (no socket at ${path})`);
  }
  return new DaemonUnreachable(`cannot reach ipnd at ${path}: ${msg}`);
}

/** Is a daemon answering on the socket? */
export async function daemonRunning(path = socketPath()): Promise<boolean> {
  try {
    const c = await Deno.connect({ transport: "unix", path });
    c.close();
    return true;
  } catch {
    return false;
  }
}

/**
 * Start ipnd in the background (detached, its log in STATE_DIR/ipnd.log)
 * and wait for its socket; `host` is passed as `--host`. Returns the
 * daemon's pid.
 */
export async function startDaemon(backend: string, host?: string): Promise<number> {
  const sdir = stateDir();
  await Deno.mkdir(sdir, { recursive: true, mode: 0o700 });
  const logPath = join(sdir, "ipnd.log");
  const main = new URL("../cli/main.ts", import.meta.url).pathname;
  const config = new URL("../../deno.json", import.meta.url).pathname;
  const deno = Deno.execPath();
  // Output goes to the log through a shell redirection so the child holds no pipe of ours.
  const cmd = new Deno.Command("/bin/sh", {
    args: [
      "-c",
      "m=$1 b=$2 l=$3 c=$4; shift 4; " +
      'exec "$0" run --quiet --no-prompt --allow-all --config "$c" "$m" daemon --backend "$b" "$@" </dev/null >>"$l" 2>&1',
      deno,
      main,
      backend,
      logPath,
      config,
      ...(host !== undefined ? ["--host", host] : []),
    ],
    detached: true,
    stdin: "null",
    stdout: "null",
    stderr: "null",
    env: { RUST_BACKTRACE: "0" },
  });
  const child = cmd.spawn();
  child.unref();
  const path = socketPath();
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (await daemonRunning(path)) return child.pid;
    const st = await Promise.race([
      child.status,
      new Promise<undefined>((r) => setTimeout(() => r(undefined), 50)),
    ]);
    if (st) {
      const tail = await Deno.readTextFile(logPath).then(
        (t) => t.trim().split("\n").slice(-3).join("\n"),
        () => "",
      );
      throw new DaemonUnreachable(
        `ipnd exited at start (code ${st.code}); ${logPath} says:\n${tail}`,
      );
    }
  }
  throw new DaemonUnreachable(`ipnd did not open ${path} within 20 s; see ${logPath}`);
}

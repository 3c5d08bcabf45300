/**
 * ipnd: the daemon that owns the live state and reconciles it to files.
 * `ipnctl daemon` runs it in the foreground (systemd); `ipnctl apply`
 * starts it in the background when none runs.
 *
 * The data plane never lives here: on SIGTERM the daemon exits and every
 * network keeps running; the next start re-discovers them by observation.
 *
 * @module
 */
import { join } from "node:path";
import { Daemon } from "./daemon.ts";
import { handle } from "./server.ts";
import { StateLock } from "../state/lock.ts";
import { runDir, stateDir } from "../state/paths.ts";
import { Reconciler } from "../reconcile/reconciler.ts";
import { defaultHandlers } from "../reconcile/handlers/mod.ts";
import { openDataplane } from "../reconcile/open.ts";
import { faultsFromEnv } from "./faults.ts";
import { socketPath } from "../api/client.ts";
import { OWNER } from "./owner.ts";

export interface DaemonOptions {
  backend: "auto" | "user" | "kernel";
  /** Group allowed to use the control socket (mode 0660); default root only. */
  group?: string;
  /** The host of a fleet file this daemon manages; default: the machine's hostname. */
  host?: string;
}

function logger(): (msg: string) => void {
  return (msg) => console.error(`${new Date().toISOString()} ipnd[${Deno.pid}]: ${msg}`);
}

async function removeStaleSocket(path: string) {
  try {
    const c = await Deno.connect({ transport: "unix", path });
    c.close();
    throw new Error(`another ipnd already listens on ${path}`);
  } catch (e) {
    if (e instanceof Error && e.message.startsWith("another ipnd")) throw e;
    await Deno.remove(path).catch(() => {});
  }
}

/** Run the daemon until SIGTERM/SIGINT. */
export async function runDaemon(opts: DaemonOptions): Promise<number> {
  const log = logger();
  const sdir = stateDir();
  const rdir = runDir();
  await Deno.mkdir(rdir, { recursive: true, mode: 0o755 });
  const lock = new StateLock(sdir);
  await lock.acquire(`ipnd for ${rdir}`);

  const dp = await openDataplane(opts.backend, rdir);
  const reconciler = new Reconciler(
    { dp, owner: OWNER, runDir: rdir },
    defaultHandlers(),
    { dir: sdir },
    faultsFromEnv(),
  );
  const daemon = new Daemon(reconciler, {
    pid: Deno.pid,
    host: opts.host ?? Deno.hostname(),
    startedAt: new Date().toISOString(),
    backend: dp.backend,
    runDir: rdir,
    stateDir: sdir,
  }, log);
  await daemon.start();

  const sock = socketPath();
  await removeStaleSocket(sock);
  const ac = new AbortController();
  const server = Deno.serve(
    { path: sock, signal: ac.signal, onListen: () => {} },
    (req) => handle(daemon, req),
  );
  await secureSocket(sock, opts.group);
  await Deno.writeTextFile(join(rdir, "ipnd.pid"), `${Deno.pid}\n`);
  log(`listening on ${sock} (host ${daemon.info.host}, backend ${dp.backend}, state ${sdir})`);

  const done = Promise.withResolvers<number>();
  const stop = (sig: string) => {
    log(`${sig}: shutting down; the data plane keeps running`);
    daemon.stop();
    ac.abort();
    done.resolve(0);
  };
  Deno.addSignalListener("SIGTERM", () => stop("SIGTERM"));
  Deno.addSignalListener("SIGINT", () => stop("SIGINT"));
  Deno.addSignalListener("SIGHUP", () => {
    daemon.reload().then(log, (e) => log(`reload failed: ${(e as Error).message}`));
  });

  const code = await done.promise;
  await server.finished.catch(() => {});
  await Deno.remove(sock).catch(() => {});
  await Deno.remove(join(rdir, "ipnd.pid")).catch(() => {});
  await dp.close();
  lock.release();
  return code;
}

/** Root only by default; a named group may be granted (mode 0660). */
async function secureSocket(path: string, group?: string) {
  if (!group) {
    await Deno.chmod(path, 0o600);
    return;
  }
  const { resolveId } = await import("../reconcile/principal.ts");
  const gid = resolveId("group", group);
  if (gid === undefined) throw new Error(`unknown group '${group}' for the control socket`);
  await Deno.chown(path, 0, gid);
  await Deno.chmod(path, 0o660);
}

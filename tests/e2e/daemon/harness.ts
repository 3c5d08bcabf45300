/**
 * A private world for daemon tests: a network namespace (taps created by
 * the engine land there), private state and runtime directories, a real
 * ipnd started in the namespace, and ipnctl run against it.
 */
import { join } from "node:path";

const ROOT = new URL("../../../", import.meta.url).pathname;
const MAIN = join(ROOT, "runtime/cli/main.ts");
const CONFIG = join(ROOT, "deno.json");

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let counter = 0;

async function run(
  cmd: string,
  args: string[],
  env?: Record<string, string>,
  stdin?: string,
): Promise<Run> {
  const p = new Deno.Command(cmd, {
    args,
    env,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const w = p.stdin.getWriter();
    await w.write(new TextEncoder().encode(stdin));
    await w.close();
  }
  const o = await p.output();
  const dec = new TextDecoder();
  return { code: o.code, stdout: dec.decode(o.stdout), stderr: dec.decode(o.stderr) };
}

/** Run a command and fail loudly when it does not succeed. */
export async function sh(cmd: string, ...args: string[]): Promise<string> {
  const r = await run(cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

export class World {
  readonly id: string;
  readonly ns: string;
  readonly dir: string;
  daemon?: Deno.ChildProcess;
  #log?: Deno.FsFile;

  private constructor(id: string, dir: string) {
    this.id = id;
    this.ns = `ipnd-t${id}`;
    this.dir = dir;
  }

  static async create(): Promise<World> {
    const id = `${Deno.pid}-${++counter}`;
    const dir = await Deno.makeTempDir({ prefix: `ipnd-test-${id}-` });
    const w = new World(id, dir);
    await sh("ip", "netns", "add", w.ns);
    await sh("ip", "-n", w.ns, "link", "set", "lo", "up");
    await Deno.mkdir(w.runDir, { recursive: true });
    return w;
  }

  get runDir(): string {
    return join(this.dir, "run");
  }
  get stateDir(): string {
    return join(this.dir, "state");
  }
  get env(): Record<string, string> {
    return {
      IPN_RUN_DIR: this.runDir,
      IPN_STATE_DIR: this.stateDir,
      NO_COLOR: "1",
      RUST_BACKTRACE: "0",
    };
  }

  /** Write a config file into the world and return its path. */
  async file(name: string, text: string): Promise<string> {
    const p = join(this.dir, name);
    await Deno.writeTextFile(p, text);
    return p;
  }

  /** ipnctl with this world's directories (outside the namespace: it only talks to the socket). */
  ipnctl(...args: string[]): Promise<Run> {
    return run(Deno.execPath(), [
      "run",
      "--quiet",
      "--no-prompt",
      "--allow-all",
      "--config",
      CONFIG,
      MAIN,
      ...args,
    ], this.env);
  }

  /** Run a command inside the namespace. */
  inNs(...args: string[]): Promise<Run> {
    return run("ip", ["netns", "exec", this.ns, ...args]);
  }

  /** Start ipnd in the namespace (with extra `ipnctl daemon` arguments) and wait until it serves. */
  async startDaemon(extraEnv: Record<string, string> = {}, args: string[] = []): Promise<void> {
    this.#log = await Deno.open(join(this.dir, "ipnd.log"), {
      append: true,
      create: true,
      write: true,
    });
    const env = { ...this.env, ...extraEnv };
    const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    this.daemon = new Deno.Command("ip", {
      args: [
        "netns",
        "exec",
        this.ns,
        "env",
        ...envArgs,
        Deno.execPath(),
        "run",
        "--quiet",
        "--allow-all",
        "--config",
        CONFIG,
        MAIN,
        "daemon",
        "--backend",
        "user",
        ...args,
      ],
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const sink = this.#log;
    this.daemon.stderr.pipeTo(sink.writable, { preventClose: true }).catch(() => {});
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const st = await this.ipnctl("status");
      if (st.code === 0) return;
      const exited = await Promise.race([
        this.daemon.status,
        new Promise((r) => setTimeout(() => r(undefined), 100)),
      ]);
      if (exited) throw new Error(`ipnd exited at start: ${await this.log()}`);
    }
    throw new Error(`ipnd did not come up: ${await this.log()}`);
  }

  async log(): Promise<string> {
    return await Deno.readTextFile(join(this.dir, "ipnd.log")).catch(() => "");
  }

  /** Stop the daemon with a signal and wait for it. */
  async stopDaemon(signal: Deno.Signal = "SIGTERM"): Promise<Deno.CommandStatus | undefined> {
    if (!this.daemon) return undefined;
    const d = this.daemon;
    this.daemon = undefined;
    try {
      d.kill(signal);
    } catch { /* already gone */ }
    // `ip netns exec` execs the daemon, so the signal reaches Deno directly.
    return await d.status;
  }

  /**
   * Wait up to `ms` for the daemon to exit by itself (e.g. a fault-injected
   * SIGKILL); undefined when it is still running.
   */
  async daemonExit(ms = 3000): Promise<Deno.CommandStatus | undefined> {
    const d = this.daemon;
    if (!d) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const st = await Promise.race([
      d.status,
      new Promise<undefined>((r) => timer = setTimeout(() => r(undefined), ms)),
    ]);
    clearTimeout(timer);
    if (st) this.daemon = undefined;
    return st;
  }

  /** Links in the namespace, by name. */
  async links(): Promise<string[]> {
    const r = await this.inNs("ip", "-o", "link", "show");
    return r.stdout.split("\n").map((l) => l.split(": ")[1]?.split("@")[0]).filter(Boolean);
  }

  async cleanup(): Promise<void> {
    await this.stopDaemon("SIGKILL");
    // Stop the engine this world's daemon started (it outlives the daemon by design).
    const pidFile = join(this.runDir, "engine.pid");
    const pid = Number((await Deno.readTextFile(pidFile).catch(() => "")).trim());
    if (pid > 0) {
      try {
        Deno.kill(pid, "SIGTERM");
      } catch { /* gone */ }
      for (let i = 0; i < 50; i++) {
        try {
          Deno.kill(pid, "SIGCONT");
        } catch {
          break;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    this.#log?.close();
    await run("ip", ["netns", "del", this.ns]);
    await Deno.remove(this.dir, { recursive: true }).catch(() => {});
  }
}

/** Run `fn` in a fresh world, always cleaned up. */
export async function withWorld(fn: (w: World) => Promise<void>): Promise<void> {
  const w = await World.create();
  try {
    await fn(w);
  } catch (e) {
    const log = await w.log();
    if (log) console.error(`--- ipnd log (${w.ns}) ---\n${log}`);
    throw e;
  } finally {
    await w.cleanup();
  }
}

/** A Deno test that runs in a fresh world (real namespaces and processes outlive single ops). */
export function worldTest(name: string, fn: (w: World) => Promise<void>): void {
  Deno.test({ name, sanitizeResources: false, sanitizeOps: false, fn: () => withWorld(fn) });
}

/**
 * Run the real ipnctl CLI (runtime/cli/main.ts) in a child process.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** What a CLI run gave. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `ipnctl ARGS...` with `stdin` as input; colour is off unless `env` turns it on. */
export async function ipnctl(
  args: string[],
  opts: { stdin?: string; cwd?: string; env?: Record<string, string> } = {},
): Promise<Run> {
  const cmd = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--no-prompt", "-A", `${ROOT}runtime/cli/main.ts`, ...args],
    cwd: opts.cwd ?? ROOT,
    env: { NO_COLOR: "1", ...opts.env },
    stdin: opts.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  });
  const child = cmd.spawn();
  if (opts.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(opts.stdin));
    await w.close();
  }
  const out = await child.output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** A temporary directory for one test, removed afterwards. */
export async function inTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = Deno.makeTempDirSync({ prefix: `ipn-cli-${Deno.pid}-` });
  try {
    await fn(dir);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

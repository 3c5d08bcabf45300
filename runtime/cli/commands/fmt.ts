/**
 * `ipnctl fmt [--check] [--diff] FILE...`: rewrite files in the canonical
 * style. `--check` lists the files that are not formatted and exits 1;
 * `--diff` prints what would change as a unified diff and exits 1 when
 * anything would. A directory stands for every `.ipn` file under it; `-` is
 * standard input (formatted to standard output). Files that do not parse
 * are left alone and their diagnostics printed (exit 1).
 *
 * @module
 */
import { dirname, join } from "node:path";
import type { Command } from "./mod.ts";
import { formatSource } from "../../../dsl/mod.ts";
import { CliError } from "../errors.ts";
import { unifiedDiff } from "../diff.ts";
import { parse } from "../args.ts";
import { printDiagnostics, writeOut } from "../report.ts";

const HELP = `usage: ipnctl fmt [--check] [--diff] FILE|DIR|- ...

Rewrite .ipn files in the one canonical style (comments are kept).

options:
  --check   do not write; list files that are not formatted, exit 1 if any
  --diff    do not write; print a unified diff of what would change, exit 1 if any
  -h, --help`;

/** Every .ipn file under `dir`, sorted, hidden entries skipped. */
function ipnFiles(dir: string): string[] {
  const out: string[] = [];
  const entries = [...Deno.readDirSync(dir)].sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    if (e.name.startsWith(".")) continue;
    const p = join(dir, e.name);
    if (e.isDirectory) out.push(...ipnFiles(p));
    else if (e.isFile && e.name.endsWith(".ipn")) out.push(p);
  }
  return out;
}

function expand(args: string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    if (a === "-") {
      out.push(a);
      continue;
    }
    let info: Deno.FileInfo;
    try {
      info = Deno.statSync(a);
    } catch {
      throw new CliError(`fmt: cannot read '${a}': no such file or directory`);
    }
    out.push(...(info.isDirectory ? ipnFiles(a) : [a]));
  }
  return out;
}

/** Replace `path`'s content atomically: a temporary file beside it, then rename. */
function writeAtomic(path: string, text: string): void {
  const mode = Deno.statSync(path).mode ?? 0o644;
  const tmp = Deno.makeTempFileSync({ dir: dirname(path), prefix: ".ipnfmt-" });
  try {
    const f = Deno.openSync(tmp, { write: true, truncate: true });
    try {
      const data = new TextEncoder().encode(text);
      let n = 0;
      while (n < data.length) n += f.writeSync(data.subarray(n));
      f.syncSync();
    } finally {
      f.close();
    }
    Deno.chmodSync(tmp, mode & 0o7777);
    Deno.renameSync(tmp, path);
  } catch (e) {
    try {
      Deno.removeSync(tmp);
    } catch { /* already gone */ }
    throw e;
  }
}

function readStdin(): string {
  const chunks: Uint8Array[] = [];
  const buf = new Uint8Array(65536);
  for (;;) {
    const n = Deno.stdin.readSync(buf);
    if (n === null || n === 0) break;
    chunks.push(buf.slice(0, n));
  }
  const all = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    all.set(c, o);
    o += c.length;
  }
  return new TextDecoder().decode(all);
}

const command: Command = {
  run(args: string[]): Promise<number> {
    const { values, positionals } = parse("fmt", args, {
      check: { type: "boolean" },
      diff: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      writeOut(HELP + "\n");
      return Promise.resolve(0);
    }
    if (positionals.length === 0) {
      throw new CliError("fmt: no files given (see 'ipnctl fmt --help')");
    }
    const dryRun = values.check === true || values.diff === true;
    let status = 0;
    for (const path of expand(positionals)) {
      const name = path === "-" ? "<stdin>" : path;
      let text: string;
      try {
        text = path === "-" ? readStdin() : Deno.readTextFileSync(path);
      } catch (e) {
        const why = e instanceof Deno.errors.PermissionDenied
          ? "permission denied"
          : e instanceof Error
          ? e.message.replace(/:.*$/, "")
          : String(e);
        console.error(`ipnctl: fmt: cannot read '${name}': ${why}`);
        status = 1;
        continue;
      }
      const r = formatSource(text, name);
      if (r.text === undefined) {
        printDiagnostics(r.diagnostics, new Map([[name, text]]));
        console.error(`ipnctl: fmt: '${name}' was not formatted: fix the errors above first`);
        status = 1;
        continue;
      }
      const changed = r.text !== text;
      if (values.diff && changed) {
        writeOut(unifiedDiff(text, r.text, `${name} (original)`, `${name} (formatted)`));
      }
      if (values.check && changed && !values.diff) writeOut(name + "\n");
      if (dryRun) {
        if (changed) status = 1;
        continue;
      }
      if (path === "-") writeOut(r.text);
      else if (changed) {
        writeAtomic(path, r.text);
        writeOut(`formatted ${name}\n`);
      }
    }
    return Promise.resolve(status);
  },
};
export default command;

/**
 * How commands show language diagnostics: rendered for people (coloured on
 * a terminal unless NO_COLOR is set) or as JSON.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { type Diagnostic, renderDiagnostics, summarize } from "../../dsl/mod.ts";
import { CliError } from "./errors.ts";

/** Colour for a stream: a terminal, and NO_COLOR unset or empty. */
export function useColor(stream: { isTerminal(): boolean }): boolean {
  const no = Deno.env.get("NO_COLOR");
  return stream.isTerminal() && (no === undefined || no === "");
}

/** Print diagnostics to stderr, then a count line, when there are any. */
export function printDiagnostics(diags: Diagnostic[], sources: Map<string, string>): void {
  if (diags.length === 0) return;
  const text = renderDiagnostics(diags, sources, { color: useColor(Deno.stderr) });
  Deno.stderr.writeSync(new TextEncoder().encode(text + "\n" + summarize(diags) + "\n"));
}

/** Write text to stdout without a trailing newline added. */
export function writeOut(text: string): void {
  const data = new TextEncoder().encode(text);
  let n = 0;
  while (n < data.length) n += Deno.stdout.writeSync(data.subarray(n));
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>["options"];

/**
 * Parse a command's arguments with node:util parseArgs; any mistake becomes
 * one clear line naming the command.
 */
export function parseCommandArgs<O extends Options>(command: string, args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const opt = /'(-[^']*)'/.exec(msg)?.[1];
    let why = msg.split(". ")[0];
    if (/Unknown option/.test(msg) && opt) why = `unknown option '${opt}'`;
    else if (/argument missing/.test(msg) && opt) {
      why = `option '${opt.split(" ")[0]}' needs a value`;
    } else if (/does not take an argument/.test(msg) && opt) why = `option '${opt}' takes no value`;
    throw new CliError(`${command}: ${why} (see 'ipnctl ${command} --help')`);
  }
}

/**
 * Option parsing and colour detection shared by the commands.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { CliError } from "./errors.ts";

type Options = NonNullable<Parameters<typeof parseArgs>[0]>["options"];

/**
 * Parse a command's arguments with node:util parseArgs; any mistake becomes
 * one clear line naming the command.
 */
export function parse<O extends Options>(command: string, args: string[], options: O) {
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

/** Colour on a terminal, unless NO_COLOR is set to anything (https://no-color.org). */
export function useColor(stream: { isTerminal(): boolean } = Deno.stdout): boolean {
  const no = Deno.env.get("NO_COLOR");
  return stream.isTerminal() && (no === undefined || no === "");
}

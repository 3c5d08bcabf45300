/**
 * Option parsing shared by the commands: node:util parseArgs with its
 * errors turned into one-line CLI errors.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { CliError } from "./errors.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parse `args` for `command`; unknown options are a clear error. */
export function parse<T extends Options>(command: string, args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = (e as Error).message.replace(/\. To specify a positional.*$/s, "");
    throw new CliError(`${command}: ${msg}`);
  }
}

/** Colour on a terminal unless NO_COLOR is set (https://no-color.org). */
export function useColor(stream: { isTerminal(): boolean } = Deno.stdout): boolean {
  return stream.isTerminal() && !Deno.env.get("NO_COLOR");
}

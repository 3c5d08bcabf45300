/**
 * ipnctl: the command-line interface. Each command lives in commands/; this
 * file only dispatches and turns unexpected failures into one clean line.
 *
 * @module
 */
import { commands } from "./commands/mod.ts";
import { CliError, exitWith } from "./errors.ts";

const USAGE = `usage: ipnctl <command> [options]

commands:
${Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`).join("\n")}

Run 'ipnctl <command> --help' for a command's options.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "-h" || name === "--help" || name === "help") {
    console.log(USAGE);
    return name ? 0 : 1;
  }
  const cmd = commands[name];
  if (!cmd) {
    const hint = Object.keys(commands).find((c) => c.startsWith(name.slice(0, 2)));
    throw new CliError(`unknown command '${name}'${hint ? ` (did you mean '${hint}'?)` : ""}`);
  }
  return await (await cmd.load()).default.run(rest);
}

if (import.meta.main) {
  exitWith(() => main(Deno.args));
}

/**
 * How commands show language diagnostics: rendered for people (coloured on
 * a terminal unless NO_COLOR is set) or as JSON.
 *
 * @module
 */
import { type Diagnostic, renderDiagnostics, summarize } from "../../dsl/mod.ts";
import { useColor } from "./args.ts";

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

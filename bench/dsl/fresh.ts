/**
 * A fresh process, as a command is: load the language and check an empty
 * file; then, given a FILE, check it once and print that run's wall and CPU
 * time as JSON. bench.ts times the whole process without FILE (start-up,
 * beside nft's on an empty file), and reads the figures with FILE: the first
 * parse in a process, with code not yet optimised and a young heap.
 *
 *   scripts/deno.sh run -A bench/dsl/fresh.ts [FILE]
 *
 * @module
 */
import { parseSource } from "../../dsl/mod.ts";
import { timeCall } from "./measure.ts";

if (!parseSource("", "empty.ipn").plan) Deno.exit(1);
const file = Deno.args[0];
if (file) {
  const text = Deno.readTextFileSync(file);
  const { sample, value } = timeCall(() => parseSource(text, file));
  if (!value.plan) Deno.exit(1);
  console.log(JSON.stringify(sample));
}

/**
 * Start-up probe for the language benchmark: load the language and check
 * an empty file, as a command does before any real work. bench.ts times
 * this whole process, as it times `nft -c -f` on an empty file.
 *
 * @module
 */
import { parseSource } from "../../dsl/mod.ts";

const r = parseSource("", "empty.ipn");
if (!r.plan) Deno.exit(1);

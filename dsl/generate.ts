/**
 * Regenerate the files derived from the code: the grammar's railroad
 * diagrams and the Plan's JSON Schema.
 *
 *   scripts/deno.sh run -A dsl/generate.ts          write them
 *   scripts/deno.sh run -A dsl/generate.ts --check  exit 1 if they are stale
 *
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { GRAMMAR_PAGE, grammarPage } from "./diagrams.ts";
import { planJsonSchema } from "./schema.ts";

/** Where the JSON Schema is written, relative to the repository root. */
export const PLAN_SCHEMA = "docs/plan.schema.json";

/** Every generated file: path relative to the repository root, and content. */
export function generated(): { path: string; text: string }[] {
  return [
    { path: GRAMMAR_PAGE, text: grammarPage() },
    { path: PLAN_SCHEMA, text: JSON.stringify(planJsonSchema(), null, 2) + "\n" },
  ];
}

if (import.meta.main) {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const check = Deno.args.includes("--check");
  let stale = 0;
  for (const g of generated()) {
    const p = join(root, g.path);
    let old: string | undefined;
    try {
      old = Deno.readTextFileSync(p);
    } catch { /* missing */ }
    if (old === g.text) continue;
    if (check) {
      console.error(`stale: ${g.path} (run: scripts/deno.sh run -A dsl/generate.ts)`);
      stale++;
    } else {
      Deno.mkdirSync(dirname(p), { recursive: true });
      Deno.writeTextFileSync(p, g.text);
      console.log(`wrote ${g.path}`);
    }
  }
  Deno.exit(stale ? 1 : 0);
}

/**
 * Shared helpers of the language tests: golden files and in-memory trees.
 *
 * @module
 */
import { assertEquals } from "./assert.ts";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Set UPDATE_GOLDEN=1 to rewrite golden files instead of comparing. */
export const UPDATE = Deno.env.get("UPDATE_GOLDEN") === "1";

/** Compare `actual` with the golden file at `path` (or rewrite it). */
export function golden(path: string, actual: string): void {
  if (UPDATE) {
    Deno.writeTextFileSync(path, actual);
    return;
  }
  let expected: string;
  try {
    expected = Deno.readTextFileSync(path);
  } catch {
    throw new Error(`missing golden file ${relative(ROOT, path)}; run with UPDATE_GOLDEN=1`);
  }
  assertEquals(
    actual,
    expected,
    `golden ${relative(ROOT, path)} differs (UPDATE_GOLDEN=1 rewrites)`,
  );
}

/** Every file under `dir`, as paths relative to it mapped to their text. */
export function readTree(dir: string, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of [...Deno.readDirSync(dir)].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory) Object.assign(out, readTree(p, rel));
    else out[rel] = Deno.readTextFileSync(p);
  }
  return out;
}

/** Every .ipn file under `dir` (recursively), sorted. */
export function ipnFiles(dir: string): string[] {
  const out: string[] = [];
  for (const [rel] of Object.entries(readTree(dir))) {
    if (rel.endsWith(".ipn")) out.push(join(dir, rel));
  }
  return out.sort();
}

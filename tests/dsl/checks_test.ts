/**
 * Every semantic and syntactic check, each with a failing example whose exact
 * rendered diagnostics are a golden file (tests/dsl/golden/checks/NAME.out).
 * A case is NAME.ipn, or a directory NAME/ whose main.ipn includes the rest;
 * NAME is the code it shows, optionally followed by `--variant`.
 * A first line `# host: NAME` plans for that host.
 */
import { join } from "node:path";
import { parseSource, renderDiagnostics, summarize } from "../../dsl/mod.ts";
import { assert, assertEquals } from "./assert.ts";
import { golden, readTree, ROOT } from "./helpers.ts";

const DIR = join(ROOT, "tests/dsl/golden/checks");

function runCase(name: string, isDir: boolean) {
  if (isDir) {
    const files = readTree(join(DIR, name));
    return parseSource(files["main.ipn"], "main.ipn", { files, host: "test-host" });
  }
  const text = Deno.readTextFileSync(join(DIR, `${name}.ipn`));
  const host = /^# host: (\S+)/.exec(text)?.[1] ?? "test-host";
  return parseSource(text, `${name}.ipn`, { host });
}

const cases = [...Deno.readDirSync(DIR)]
  .filter((e) => e.isDirectory || e.name.endsWith(".ipn"))
  .map((e) => ({ name: e.name.replace(/\.ipn$/, ""), isDir: e.isDirectory }))
  .sort((a, b) => (a.name < b.name ? -1 : 1));

const seenCodes = new Set<string>();

for (const c of cases) {
  Deno.test(`check ${c.name}`, () => {
    const r = runCase(c.name, c.isDir);
    for (const d of r.diagnostics) seenCodes.add(d.code);
    const text = renderDiagnostics(r.diagnostics, r.sources, { color: false }) +
      summarize(r.diagnostics) + "\n";
    golden(join(DIR, `${c.name}.out`), text);
    // A case is named after the code it shows, optionally `CODE--variant`.
    const code = c.name.split("--")[0];
    if (c.name !== "include-errors") {
      assert(r.diagnostics.some((d) => d.code === code), `no '${code}' diagnostic`);
    }
    if (r.diagnostics.some((d) => d.severity === "error")) assertEquals(r.plan, undefined);
    else assert(r.plan !== undefined, "a file with only warnings has a plan");
  });
}

/** Codes documented in docs/language.md's table of checks. */
function documentedCodes(): Set<string> {
  const md = Deno.readTextFileSync(join(ROOT, "docs/language.md"));
  const table = md.slice(md.indexOf("## Checks"), md.indexOf("## Diagnostics"));
  const codes = new Set<string>();
  for (const line of table.split("\n")) {
    if (!line.startsWith("| `")) continue;
    const first = line.split("|")[1];
    for (const m of first.matchAll(/`([a-z-]+)`/g)) codes.add(m[1]);
  }
  return codes;
}

/** Codes passed as string literals to error()/warning() anywhere in dsl/. */
function codesInSource(): Set<string> {
  const codes = new Set<string>();
  const walk = (dir: string) => {
    for (const e of Deno.readDirSync(dir)) {
      const p = join(dir, e.name);
      if (e.isDirectory) walk(p);
      else if (p.endsWith(".ts")) {
        const src = Deno.readTextFileSync(p);
        for (
          const m of src.matchAll(
            /(?:error|warning)\(\s*[^,()]+(?:\([^()]*\))?,\s*"([a-z]+(?:-[a-z]+)*)"/g,
          )
        ) {
          codes.add(m[1]);
        }
        for (
          const m of src.matchAll(
            /code = "([a-z-]+)"|"(port-beyond-ports|vlan-out-of-range|file-not-found|include-not-found)"/g,
          )
        ) {
          codes.add(m[1] ?? m[2]);
        }
      }
    }
  };
  walk(join(ROOT, "dsl"));
  return codes;
}

Deno.test("every documented check has a golden case, and every code is documented", () => {
  const documented = documentedCodes();
  const withCase = new Set(cases.map((c) => c.name.split("--")[0]));
  // Reached only through other tests: a missing root file, and a bug.
  const elsewhere = new Set(["file-not-found", "internal-error"]);
  for (const code of documented) {
    if (!elsewhere.has(code)) assert(withCase.has(code), `no golden case for '${code}'`);
  }
  for (const code of codesInSource()) {
    assert(documented.has(code), `code '${code}' is not documented`);
  }
});

Deno.test("the golden cases produce only documented codes", () => {
  for (const c of cases) {
    for (const d of runCase(c.name, c.isDir).diagnostics) seenCodes.add(d.code);
  }
  const documented = documentedCodes();
  for (const code of seenCodes) assert(documented.has(code), `'${code}' is not documented`);
});

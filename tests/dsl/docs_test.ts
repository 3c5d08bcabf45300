/**
 * The documentation stays true: generated files are current, every ipn
 * example in docs/language.md parses (in the block it belongs to), and the
 * example configs validate and use every statement of the language.
 */
import { join } from "node:path";
import { generated } from "../../dsl/generate.ts";
import {
  diagnosticsToJson,
  formatSource,
  loadPlan,
  parseSource,
  renderDiagnostics,
  summarize,
} from "../../dsl/mod.ts";
import { KEYWORDS, lex, STATEMENTS } from "../../dsl/lexer.ts";
import { assert, assertEquals } from "./assert.ts";
import { ipnFiles, ROOT } from "./helpers.ts";

Deno.test("generated grammar page and Plan JSON Schema are current", () => {
  for (const g of generated()) {
    const committed = Deno.readTextFileSync(join(ROOT, g.path));
    assert(committed === g.text, `${g.path} is stale: run scripts/deno.sh run -A dsl/generate.ts`);
  }
});

Deno.test("the grammar page loads Chevrotain's diagram code from node_modules", () => {
  const page = generated().find((g) => g.path.endsWith(".html"))!;
  const srcs = [...page.text.matchAll(/(?:src|href)='([^']+)'/g)].map((m) => m[1]);
  assert(srcs.length >= 5);
  for (const s of srcs) {
    assert(!s.startsWith("http"), `${s} is not local`);
    Deno.statSync(join(ROOT, "docs/generated", s));
  }
  assert(!page.text.includes("unknown_"), "error-reporting rules are hidden");
});

/** Wrappers that put a fragment in the block it belongs to. */
const CONTEXTS = [
  (s: string) => s,
  (s: string) => `network doc {\n${s}\n}`,
  (s: string) => `network doc {\npolicy switch {\n${s}\n}\n}`,
  (s: string) => `network doc {\npolicy concast {\n${s}\n}\n}`,
  (s: string) => `network doc {\naccess {\n${s}\n}\n}`,
  (s: string) => `network doc {\ntap doc0 {\n${s}\n}\n}`,
  (s: string) => `network doc {\nuplink vxlan {\n${s}\n}\n}`,
  (s: string) => `rewrite doc {\n${s}\n}`,
  (s: string) => `bind doc {\n${s}\n}`,
  (s: string) => `endpoint doc {\n${s}\n}`,
];

Deno.test("every ipn example in docs/language.md parses", () => {
  const md = Deno.readTextFileSync(join(ROOT, "docs/language.md"));
  const blocks = [...md.matchAll(/```([a-z]*)\n([\s\S]*?)```/g)]
    .filter((m) => m[1] === "")
    .map((m) => m[2])
    // Shell lines and rendered diagnostics are not ipn.
    .filter((b) => !/^(ipnctl|scripts\/|\S+\.ipn:\d)/m.test(b));
  assert(blocks.length >= 15, `only ${blocks.length} examples found`);
  for (const b of blocks) {
    const ok = CONTEXTS.some((wrap) => formatSource(wrap(b), "doc.ipn").text !== undefined);
    assert(ok, `this example does not parse in any block:\n${b}`);
  }
});

Deno.test("the diagnostics example in docs/language.md is what ipn prints", () => {
  const md = Deno.readTextFileSync(join(ROOT, "docs/language.md"));
  const section = md.slice(md.indexOf("## Diagnostics"));
  const blocks = [...section.matchAll(/```(text|json)\n([\s\S]*?)```/g)].map((m) => m[2]);
  const [source, rendered, json] = blocks;
  const r = parseSource(source, "lab.ipn");
  assertEquals(
    renderDiagnostics(r.diagnostics, r.sources, { color: false }) + "\n" +
      summarize(r.diagnostics) + "\n",
    rendered,
  );
  const doc = JSON.parse(json);
  assertEquals(doc.diagnostics, diagnosticsToJson(r.diagnostics));
  assertEquals([doc.valid, doc.errors, doc.warnings], [false, 1, 0]);
});

const CONFIGS = join(ROOT, "configs");
const ROOTS = ["lab.ipn", "sensors.ipn", "multicast.ipn", "testers.ipn", "site.ipn", "fleet.ipn"];

Deno.test("every example config validates without a warning, for every host", async () => {
  for (const f of ROOTS) {
    for (const host of [undefined, "alpha", "beta"]) {
      const r = await loadPlan(join(CONFIGS, f), { host: host ?? "none" });
      const codes = r.diagnostics.map((d) => d.code).filter((c) => c !== "unknown-host");
      assertEquals(codes, [], `${f} for host ${host}`);
      assert(r.plan && r.plan.resources.length > 0, `${f} declares nothing`);
    }
  }
});

Deno.test("the example configs use every statement and policy of the language", () => {
  const used = new Set<string>();
  for (const f of ipnFiles(CONFIGS)) {
    for (const t of lex(Deno.readTextFileSync(f), f).tokens) used.add(t.image);
  }
  const statements = new Set(Object.values(STATEMENTS).flat());
  const required = [
    ...statements,
    "hub",
    "switch",
    "concast",
    "vxlan",
    "env",
    "device",
    "loopback",
    "unix",
    "le",
    "tcp",
    "udp",
    "any",
    "summary",
    "message",
    "count",
    "sum",
    "dedup",
  ];
  for (const k of required) assert(used.has(k), `no example config uses '${k}'`);
  for (const k of required) assert(KEYWORDS.includes(k), `'${k}' is not a keyword`);
});

Deno.test("the lab example is what the README applies: user-space friendly", async () => {
  const r = await loadPlan(join(CONFIGS, "lab.ipn"));
  assert(r.plan);
  const kinds = r.plan.resources.map((x) => x.kind);
  assertEquals(kinds.filter((k) => k === "grab" || k === "uplink"), []);
  const tap = r.plan.resources.find((x) => x.kind === "tap");
  assert(tap?.kind === "tap" && tap.addresses.length > 0);
  for (const x of r.plan.resources) {
    if (x.kind === "network") assert(x.path.startsWith("/run/ipn/"));
  }
});

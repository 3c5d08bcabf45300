/**
 * Units: addresses, edit distance, strings, lexer positions, the AST's
 * spans, and the guard that turns a bug into one diagnostic.
 */
import { formatIp, parseCidr, parseIp } from "../../dsl/ip.ts";
import { closest, editDistance } from "../../dsl/suggest.ts";
import { lex } from "../../dsl/lexer.ts";
import { parseFile } from "../../dsl/parse_file.ts";
import { diagnosticsToJson, parseSource, renderDiagnostics } from "../../dsl/mod.ts";
import type { NetworkDecl } from "../../dsl/ast.ts";
import { assert, assertEquals } from "./assert.ts";

Deno.test("IPv4 and IPv6 parsing and canonical text", () => {
  const canon = (s: string) => {
    const ip = parseIp(s);
    return ip && formatIp(ip);
  };
  assertEquals(canon("10.0.0.1"), "10.0.0.1");
  assertEquals(canon("010.0.0.1"), undefined);
  assertEquals(canon("256.0.0.1"), undefined);
  assertEquals(canon("1.2.3"), undefined);
  assertEquals(canon("FD00:0:0:0:0:0:0:5"), "fd00::5");
  assertEquals(canon("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");
  assertEquals(canon("2001:0:0:1:0:0:0:1"), "2001:0:0:1::1");
  assertEquals(canon("::"), "::");
  assertEquals(canon("::1"), "::1");
  assertEquals(canon("1::"), "1::");
  assertEquals(canon("::ffff:1.2.3.4"), "::ffff:102:304");
  assertEquals(canon("1:2:3:4:5:6:7:8"), "1:2:3:4:5:6:7:8");
  assertEquals(canon("1:0:3:4:5:6:7:8"), "1:0:3:4:5:6:7:8");
  assertEquals(canon("1::2::3"), undefined);
  assertEquals(canon("1:2:3:4:5:6:7:8:9"), undefined);
  assertEquals(canon("12345::"), undefined);
  assertEquals(canon("1:2:3:4:5:6:7::8"), undefined);
  assertEquals(typeof parseCidr("10.0.0.0/33"), "string");
  assertEquals(parseCidr("fd00::/64"), {
    family: 6,
    bytes: [0xfd, ...new Array(15).fill(0)],
    prefix: 64,
  });
});

Deno.test("edit distance and suggestions", () => {
  assertEquals(editDistance("swtich", "switch"), 1);
  assertEquals(editDistance("polcy", "policy"), 1);
  assertEquals(editDistance("", "abc"), 3);
  assertEquals(closest("netwrk", ["network", "rewrite"]), "network");
  assertEquals(closest("MTU", ["mtu", "ports"]), "mtu");
  assertEquals(closest("colour", ["path", "policy", "ports"]), undefined);
});

Deno.test("tokens carry exact positions", () => {
  const l = lex('network lab {\n\tpath "/x"  # c\n}\n', "f");
  const pos = l.tokens.map((t) => [t.image, t.startLine, t.startColumn, t.startOffset]);
  assertEquals(pos, [
    ["network", 1, 1, 0],
    ["lab", 1, 9, 8],
    ["{", 1, 13, 12],
    ["path", 2, 2, 15],
    ['"/x"', 2, 7, 20],
    ["}", 3, 1, 30],
  ]);
  assertEquals(l.comments.map((c) => [c.image, c.startLine, c.startColumn]), [["# c", 2, 13]]);
});

Deno.test("the AST keeps values as written with their spans", () => {
  const p = parseFile('network lab {\n  mtu 1514\n  path "${a}/x"\n}\n', "f.ipn");
  assertEquals(p.diagnostics, []);
  const n = p.ast.statements[0] as NetworkDecl;
  assertEquals(n.kind, "network");
  assertEquals(n.name.text, "lab");
  assertEquals(JSON.parse(JSON.stringify(n.mtu?.value)), {
    value: 1514,
    text: "1514",
    span: {
      file: "f.ipn",
      start: { line: 2, col: 7, offset: 20 },
      end: { line: 2, col: 11, offset: 24 },
    },
  });
  assertEquals(n.path?.value.parts, [
    {
      name: "a",
      span: {
        file: "f.ipn",
        start: { line: 3, col: 9, offset: 33 },
        end: { line: 3, col: 13, offset: 37 },
      },
    },
    "/x",
  ]);
  assertEquals(p.ast.interpolated.length, 1);
});

Deno.test("a bug surfaces as one internal-error diagnostic, not an exception", () => {
  const files = new Map<string, string>();
  files.entries = () => {
    throw new Error("boom");
  };
  const r = parseSource('include "x.ipn"\n', "t.ipn", { files });
  assertEquals(r.diagnostics.map((d) => [d.code, d.file, d.start.line]), [[
    "internal-error",
    "t.ipn",
    1,
  ]]);
  assertEquals(r.plan, undefined);
  const text = renderDiagnostics(r.diagnostics, r.sources, { color: false });
  assert(text.includes("internal error: boom"), text);
  assert(!text.includes("    at "), "no stack trace");
});

Deno.test("colour only when asked", () => {
  const r = parseSource("network lab {\n  mtu 5\n}\n", "t.ipn");
  assert(!renderDiagnostics(r.diagnostics, r.sources, { color: false }).includes("\x1b["));
  assert(renderDiagnostics(r.diagnostics, r.sources, { color: true }).includes("\x1b[1;31merror:"));
});

Deno.test("JSON diagnostics have start/end line, column and offset", () => {
  const r = parseSource("network lab {\n  mtu 5\n}\n", "t.ipn");
  const json = diagnosticsToJson(r.diagnostics) as Record<string, unknown>[];
  assertEquals(json.map((d) => [d.code, d.start, d.end]), [
    ["missing-setting", { line: 1, col: 9, offset: 8 }, { line: 1, col: 12, offset: 11 }],
    ["out-of-range", { line: 2, col: 7, offset: 20 }, { line: 2, col: 8, offset: 21 }],
  ]);
  assertEquals(Object.keys(json[0]), [
    "severity",
    "code",
    "message",
    "hint",
    "file",
    "start",
    "end",
  ]);
});

Deno.test("tabs in a source line keep the caret aligned", () => {
  const r = parseSource('network lab {\n\tpath\t"x"\n}\n', "t.ipn");
  const text = renderDiagnostics(r.diagnostics, r.sources, { color: false });
  assert(text.includes(' 2 | \tpath\t"x"\n   | \t    \t^~~\n'), text);
});

/**
 * The grammar and token definitions pass Chevrotain's checks (commands skip
 * them to start faster), and the parser's replacement of Chevrotain
 * internals still takes effect.
 */
import { lex, makeLexer } from "../../dsl/lexer.ts";
import { checkGrammar, parseTokens } from "../../dsl/parser.ts";
import type { CstNode } from "../../dsl/chevrotain.ts";
import { assert, assertEquals } from "./assert.ts";

Deno.test("CST nodes keep their children in plain objects (fast properties)", () => {
  const { cst, errors } = parseTokens(lex("network a {\n  ports 4\n}\n", "f.ipn").tokens);
  assertEquals(errors, []);
  const seen: CstNode[] = [];
  const walk = (n: CstNode) => {
    seen.push(n);
    for (const key in n.children) {
      for (const c of n.children[key]!) if ("children" in c) walk(c);
    }
  };
  walk(cst);
  assert(seen.length >= 4, `only ${seen.length} nodes`);
  for (const n of seen) {
    assertEquals(Object.getPrototypeOf(n.children), Object.prototype, n.name);
  }
});

Deno.test("the token definitions pass Chevrotain's lexer checks", () => {
  const lexer = makeLexer(true);
  assertEquals(lexer.lexerDefinitionErrors, []);
});

Deno.test("the grammar passes Chevrotain's grammar checks", () => {
  checkGrammar();
});

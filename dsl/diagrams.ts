/**
 * Railroad diagrams of the grammar, generated from the parser itself with
 * Chevrotain's diagram generator. The page loads Chevrotain's diagram
 * scripts from node_modules by relative path, so it renders offline.
 *
 * The rules that exist only to report mistakes (unknown words, stray values,
 * a stray '}') are left out: they are not part of the language.
 *
 * @module
 */
import { createSyntaxDiagramsCode, type ISerializedGast } from "./chevrotain.ts";
import { parser } from "./parser.ts";

/** Where the page is written, relative to the repository root. */
export const GRAMMAR_PAGE = "docs/generated/grammar.html";

/** node_modules as seen from the page's directory. */
const RESOURCES = "../../node_modules/chevrotain/diagrams/";

const HIDDEN = (name: string) =>
  name.startsWith("unknown_") || name === "stray" || name === "anyBlock";

type Node = ISerializedGast & { name?: string; definition?: Node[] };

/** Drop alternatives that only lead to a hidden rule or a stray '}'. */
function prune(n: Node): Node {
  if (!n.definition) return n;
  let defs = n.definition.map(prune);
  if (n.type === "Alternation") {
    defs = defs.filter((alt) => {
      const only = alt.definition?.length === 1 ? alt.definition[0] : undefined;
      if (!only) return true;
      if (only.type === "NonTerminal" && HIDDEN(only.name!)) return false;
      if (only.type === "Terminal" && only.name === "RCurly") return false;
      return true;
    });
  }
  return { ...n, definition: defs } as Node;
}

/** The grammar as Chevrotain serialises it, without the error-reporting rules. */
export function grammar(): ISerializedGast[] {
  return (parser.getSerializedGastProductions() as Node[])
    .filter((r) => !HIDDEN(r.name!))
    .map(prune);
}

/** The HTML page with the diagrams. */
export function grammarPage(): string {
  const html = createSyntaxDiagramsCode(grammar(), {
    resourceBase: RESOURCES,
    css: `${RESOURCES}diagrams.css`,
  });
  const intro = `<title>ipn: grammar</title>
<h1 style="font-family: sans-serif">The ipn language: grammar</h1>
<p style="font-family: sans-serif">Generated from the parser (dsl/parser.ts); do not edit.
The reference with examples is <a href="../language.md">docs/language.md</a>.
Words in quotes are keywords; <i>a name</i> is any word (keywords too) or a quoted string.</p>
`;
  return html.replace('<div id="diagrams"', intro + '<div id="diagrams"')
    .split("\n").map((l) => l.trimEnd()).join("\n");
}

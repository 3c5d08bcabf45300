/**
 * Parser error messages, in the project's voice.
 *
 * Chevrotain asks for a string; we return the message and the hint joined
 * by a NUL, and the parser splits them again.
 *
 * @module
 */
import {
  EOF,
  type IParserErrorMessageProvider,
  type IToken,
  type TokenType,
} from "./chevrotain.ts";
import { didYouMean } from "./suggest.ts";

/** How a token type reads in a message: `'switch'`, `a number`, ... */
export function label(t: TokenType): string {
  return t.LABEL ?? t.name;
}

/** How a token reads in a message. */
export function describe(t: IToken | undefined): string {
  if (!t || t.tokenType === EOF) return "the end of the file";
  if (t.image.startsWith('"')) return t.image.length > 40 ? t.image.slice(0, 37) + '..."' : t.image;
  return `'${t.image}'`;
}

function after(previous: IToken | undefined): string {
  if (!previous || previous.tokenType === EOF || !previous.image) return "";
  if (previous.image === "{" || previous.image === "}") return "";
  return ` after ${describe(previous)}`;
}

function oneOf(labels: string[]): string {
  const u = [...new Set(labels)];
  if (u.length === 1) return u[0];
  if (u.length === 2) return `${u[0]} or ${u[1]}`;
  return `one of ${u.slice(0, -1).join(", ")} or ${u[u.length - 1]}`;
}

/** A hint from the expected token types and what was found. */
function hintFor(actual: IToken | undefined, expected: TokenType[]): string | undefined {
  if (!actual || actual.tokenType === EOF) {
    return expected.some((t) => t.name === "RCurly") ? "a block is not closed: add '}'" : undefined;
  }
  if (expected.length === 1 && expected[0].name === "RCurly" && actual.startColumn === 1) {
    return "the block before this line is not closed: add '}'";
  }
  const words = expected.map(label).filter((l) => l.startsWith("'")).map((l) => l.slice(1, -1));
  if (/^[A-Za-z_]/.test(actual.image)) {
    const h = didYouMean(actual.image, words.filter((w) => /^[a-z]/.test(w)));
    if (h) return h;
  }
  if (
    actual.image.startsWith("/") ||
    (actual.tokenType.name === "Invalid" && actual.image.includes("/"))
  ) {
    if (expected.some((t) => t.name === "String")) return "paths go in quotes";
  }
  if (expected.length === 1 && expected[0].name === "Int" && /^0x/i.test(actual.image)) {
    return "numbers are written in decimal";
  }
  return undefined;
}

function join(message: string, hint: string | undefined): string {
  return hint ? `${message}\u0000${hint}` : message;
}

/** Chevrotain's error message hooks. */
export const errorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, previous }) {
    return join(
      `expected ${label(expected)}${after(previous)}, found ${describe(actual)}`,
      hintFor(actual, [expected]),
    );
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return join(`unexpected ${describe(firstRedundant)}`, undefined);
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, previous }) {
    const firsts = expectedPathsPerAlt.flat().map((p) => p[0]).filter((t) => t !== undefined);
    return join(
      `expected ${oneOf(firsts.map(label))}${after(previous)}, found ${describe(actual[0])}`,
      hintFor(actual[0], firsts),
    );
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, previous }) {
    const firsts = expectedIterationPaths.map((p) => p[0]).filter((t) => t !== undefined);
    return join(
      `expected ${oneOf(firsts.map(label))}${after(previous)}, found ${describe(actual[0])}`,
      hintFor(actual[0], firsts),
    );
  },
};

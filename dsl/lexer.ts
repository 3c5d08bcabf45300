/**
 * The lexer: source text to tokens.
 *
 * Every word is lexed as `Ident` and then, when its text is a keyword,
 * retyped to that keyword's token type by one map lookup. That keeps the
 * lexer's pattern list short (one regex attempt per word instead of one per
 * keyword) and lets any keyword double as a name (`network switch { ... }`).
 * Comments go to their own group so the formatter can put them back.
 *
 * @module
 */
import {
  createToken,
  type ILexingError,
  type IToken,
  Lexer,
  type TokenType,
} from "./chevrotain.ts";
import { type Diagnostic, error, type Position, type Span } from "./diagnostics.ts";

// A value ends where a word character cannot continue it.
const END = String.raw`(?![\w.:/\-])`;
const DIGITS = "0123456789".split("");
const LETTERS = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"];
const PRINTABLE = Array.from({ length: 0x7e - 0x20 }, (_, i) => String.fromCharCode(0x21 + i));
const HEX = [...DIGITS, ..."abcdefABCDEF", ":"];

/** Category: anything that may appear as the value of a setting (all but braces). */
export const AnyValue = createToken({ name: "AnyValue", pattern: Lexer.NA });
/** Category: a name, bare (identifiers and every keyword) or quoted. */
export const NameValue = createToken({ name: "NameValue", pattern: Lexer.NA, label: "a name" });
/** Category: an address, bare or quoted (to use variables). */
export const AddressValue = createToken({
  name: "AddressValue",
  pattern: Lexer.NA,
  label: "an address",
});
/** Category: a port, VLAN or range in a list. */
export const PortValue = createToken({
  name: "PortValue",
  pattern: Lexer.NA,
  label: "a number or range",
});
/** Category: what `done after` counts: messages or time. */
export const DoneValue = createToken({
  name: "DoneValue",
  pattern: Lexer.NA,
  label: "a count or a duration",
});
/** Category: a user or group, by name or number. */
export const PrincipalValue = createToken({
  name: "PrincipalValue",
  pattern: Lexer.NA,
  label: "a user or group",
});
/** Category: the value of a variable. */
export const LetValue = createToken({ name: "LetValue", pattern: Lexer.NA, label: "a value" });
/** Category: a word usable as a name (identifiers and every keyword). */
export const Name = createToken({
  name: "Name",
  pattern: Lexer.NA,
  label: "a name",
  categories: [AnyValue, NameValue, PrincipalValue, LetValue],
});

export const WhiteSpace = createToken({
  name: "WhiteSpace",
  pattern: /[ \t\r\n]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
  start_chars_hint: [" ", "\t", "\r", "\n"],
});
export const Comment = createToken({
  name: "Comment",
  pattern: /#[^\r\n]*/,
  group: "comments",
  start_chars_hint: ["#"],
});
export const StringLit = createToken({
  name: "String",
  pattern: /"(?:[^"\\\r\n]|\\.)*"/,
  label: "a string",
  categories: [AnyValue, NameValue, AddressValue, PrincipalValue, LetValue],
  start_chars_hint: ['"'],
});
/** A string missing its closing quote; reported, then parsed as a string. */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\\r\n]|\\.)*\\?/,
  label: "a string",
  start_chars_hint: ['"'],
});
/** A string in typographic quotes (pasted from a document): reported, then parsed as a string. */
export const SmartString = createToken({
  name: "SmartString",
  pattern: /[\u201c\u201d\u201e][^\u201c\u201d"\r\n]*[\u201c\u201d]/,
  start_chars_hint: ["\u201c", "\u201d", "\u201e"],
});
/** `${x}` outside quotes: reported, then parsed as a string. */
export const BareVariable = createToken({
  name: "BareVariable",
  pattern: /\$\{[^}\s"]*\}?[^\s{}",=#]*/,
  start_chars_hint: ["$"],
});
export const LCurly = createToken({ name: "LCurly", pattern: "{", label: "'{'" });
export const RCurly = createToken({ name: "RCurly", pattern: "}", label: "'}'" });
export const Comma = createToken({
  name: "Comma",
  pattern: ",",
  label: "','",
  categories: [AnyValue],
});
export const Equals = createToken({
  name: "Equals",
  pattern: "=",
  label: "'='",
  categories: [AnyValue],
});
/** `100ms`, `2s`. */
export const Duration = createToken({
  name: "Duration",
  pattern: new RegExp(String.raw`\d+(?:ms|s)` + END),
  label: "a duration (e.g. 100ms)",
  categories: [AnyValue, DoneValue, LetValue],
  start_chars_hint: DIGITS,
});
/** `1-8`, `6000-6063`. */
export const RangeLit = createToken({
  name: "Range",
  pattern: new RegExp(String.raw`\d+-\d+` + END),
  label: "a range (e.g. 1-8)",
  categories: [AnyValue, PortValue, LetValue],
  start_chars_hint: DIGITS,
});
export const Int = createToken({
  name: "Int",
  pattern: new RegExp(String.raw`\d+` + END),
  label: "a number",
  categories: [AnyValue, PortValue, DoneValue, PrincipalValue, LetValue],
  start_chars_hint: DIGITS,
});
/** Dotted (IPv4-like) or colon (IPv6-like) address, optionally `/prefix`; checked later. */
export const Address = createToken({
  name: "Address",
  pattern: new RegExp(
    String.raw`(?:\d+(?:\.\d+)+|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*)(?:/\d+)?` + END,
  ),
  label: "an address",
  categories: [AnyValue, AddressValue, LetValue],
  start_chars_hint: HEX,
});
export const Ident = createToken({
  name: "Ident",
  pattern: new RegExp(String.raw`[A-Za-z_][\w.\-]*` + END),
  label: "a name",
  categories: [Name, AnyValue],
  start_chars_hint: LETTERS,
});
/** Any other run of word characters: never valid, so reported where it stands. */
export const Invalid = createToken({
  name: "Invalid",
  pattern: /[^\s{}",=#]+/,
  label: "an invalid word",
  categories: [AnyValue],
  start_chars_hint: PRINTABLE.filter((c) => !'{}",=#'.includes(c)),
});

/**
 * Contexts in which statements start with a keyword. Each context has a
 * category token matching every word that does NOT start a statement there,
 * so the parser can take an unknown or misplaced word as one statement and
 * report it clearly instead of losing its way.
 */
export const CONTEXTS = [
  "top",
  "host",
  "network",
  "switch",
  "concast",
  "access",
  "tap",
  "grab",
  "uplink",
  "rewrite",
  "bind",
  "endpoint",
] as const;
export type Context = typeof CONTEXTS[number];

/** Keywords that start a statement, per context (for parsing and for hints). */
export const STATEMENTS: Record<Context, readonly string[]> = {
  top: ["let", "backend", "include", "host", "network", "rewrite", "bind", "endpoint"],
  host: ["network", "rewrite", "bind", "endpoint"],
  network: [
    "path",
    "policy",
    "ports",
    "mtu",
    "queue",
    "lossless",
    "lossy",
    "persistent",
    "description",
    "access",
    "tap",
    "grab",
    "uplink",
  ],
  switch: ["vlan", "trunk", "ageing"],
  concast: ["key", "merge", "done", "output", "receiver"],
  access: ["owner", "group", "mode"],
  tap: ["address", "mtu", "port", "down"],
  grab: ["port"],
  uplink: ["vni", "group", "remote", "dev", "port", "ttl", "name"],
  rewrite: ["from", "match", "to"],
  bind: ["when", "except"],
  endpoint: ["inet", "inet6", "ipn"],
};

/** Keywords that only appear inside statements. */
const OTHER_KEYWORDS = [
  "auto",
  "user",
  "kernel",
  "hub",
  "switch",
  "concast",
  "field",
  "at",
  "le",
  "u8",
  "u16",
  "u32",
  "u64",
  "count",
  "sum",
  "min",
  "max",
  "first",
  "last",
  "dedup",
  "after",
  "or",
  "message",
  "summary",
  "vlans",
  "vxlan",
  "udp",
  "tcp",
  "any",
  "dst",
  "unicast",
  "env",
  "device",
  "loopback",
  "unix",
  "network",
];

/** Category tokens, one per context: words that do not start a statement there. */
export const Other: Record<Context, TokenType> = Object.fromEntries(
  CONTEXTS.map((c) => [
    c,
    createToken({ name: `Other_${c}`, pattern: Lexer.NA, label: "a word" }),
  ]),
) as Record<Context, TokenType>;

// Identifiers are "other" everywhere.
for (const c of CONTEXTS) Ident.CATEGORIES!.push(Other[c]);

const keywordNames = [
  ...new Set([...CONTEXTS.flatMap((c) => STATEMENTS[c]), ...OTHER_KEYWORDS]),
].sort();

/** Keyword token types by their text. */
export const Keyword: Record<string, TokenType> = {};
for (const word of keywordNames) {
  const categories = [Name, AnyValue];
  for (const c of CONTEXTS) if (!STATEMENTS[c].includes(word)) categories.push(Other[c]);
  Keyword[word] = createToken({
    name: `Kw_${word}`,
    pattern: Lexer.NA,
    label: `'${word}'`,
    categories,
  });
}

/** Every keyword, sorted. */
export const KEYWORDS: readonly string[] = keywordNames;

/** Token types the lexer produces, in the order it tries them. */
const lexed: TokenType[] = [
  WhiteSpace,
  Comment,
  StringLit,
  UnterminatedString,
  SmartString,
  BareVariable,
  LCurly,
  RCurly,
  Comma,
  Equals,
  // Most numbers are plain integers and most words identifiers: try those
  // first (each pattern refuses a word that continues past it).
  Int,
  RangeLit,
  Duration,
  Ident,
  Address,
  Invalid,
];

/** Every token type the parser knows, categories included. */
export const allTokens: TokenType[] = [
  AnyValue,
  NameValue,
  AddressValue,
  PortValue,
  DoneValue,
  PrincipalValue,
  LetValue,
  Name,
  ...Object.values(Other),
  ...lexed,
  ...Object.values(Keyword),
];

/**
 * Build the lexer. Chevrotain's checks of the token definitions take a
 * noticeable part of every command's start-up, for a definition that only
 * changes with the code: commands skip them, and tests/dsl/parser_test.ts
 * builds the lexer with them (`validate`) so a bad definition still fails.
 */
export function makeLexer(validate: boolean): Lexer {
  return new Lexer(lexed, {
    positionTracking: "onlyStart",
    // Fail rather than silently lose the first-character dispatch.
    ensureOptimizations: true,
    skipValidations: !validate,
  });
}

const lexer = makeLexer(false);

const keywordByText = new Map<string, TokenType>(Object.entries(Keyword));

/** Payload of a string token that was written without quotes (`${x}/y`, `“x”`). */
export const BARE = "bare";
/** Payload of a string token written in typographic quotes. */
export const SMART = "smart";

/** Tokens of one source text (comments apart) and what was wrong with them. */
export interface Lexed {
  tokens: IToken[];
  comments: IToken[];
  diagnostics: Diagnostic[];
}

/**
 * The span of one token (tokens never cross lines). Positions are computed
 * when read: most spans are never shown, and a file has many tokens.
 */
export class TokenSpan implements Span {
  constructor(readonly file: string, private readonly t: IToken) {}
  get start(): Position {
    const t = this.t;
    return { line: t.startLine ?? 1, col: t.startColumn ?? 1, offset: t.startOffset };
  }
  get end(): Position {
    const t = this.t;
    const n = t.image.length;
    return { line: t.startLine ?? 1, col: (t.startColumn ?? 1) + n, offset: t.startOffset + n };
  }
  toJSON(): Span {
    return { file: this.file, start: this.start, end: this.end };
  }
}

/** Span of one token. */
export function tokenSpan(file: string, t: IToken): Span {
  return new TokenSpan(file, t);
}

/** Lex `text`; never throws. Bad characters and words are reported and skipped or kept. */
export function lex(text: string, file: string): Lexed {
  const r = lexer.tokenize(text);
  const diagnostics: Diagnostic[] = r.errors.map((e) => lexError(e, text, file));
  const tokens = r.tokens;
  const stringType = StringLit;
  const identIdx = Ident.tokenTypeIdx;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.tokenTypeIdx === identIdx) {
      const kw = keywordByText.get(t.image);
      if (kw !== undefined) {
        t.tokenType = kw;
        t.tokenTypeIdx = kw.tokenTypeIdx!;
      }
    } else if (t.tokenType === UnterminatedString) {
      diagnostics.push(
        error(tokenSpan(file, t), "unterminated-string", "this string has no closing quote", {
          hint: 'strings end on the line they start: add a closing "',
        }),
      );
      t.tokenType = stringType;
      t.tokenTypeIdx = stringType.tokenTypeIdx!;
    } else if (t.tokenType === SmartString) {
      diagnostics.push(
        error(
          tokenSpan(file, t),
          "invalid-character",
          "typographic quotes do not delimit strings",
          {
            hint: 'use straight double quotes: "..."',
          },
        ),
      );
      t.payload = SMART;
      t.tokenType = stringType;
      t.tokenTypeIdx = stringType.tokenTypeIdx!;
    } else if (t.tokenType === BareVariable) {
      diagnostics.push(
        error(
          tokenSpan(file, t),
          "bare-variable",
          `variables are only expanded inside quotes`,
          { hint: `write "${t.image.replaceAll("\\", "\\\\")}"` },
        ),
      );
      // The whole word is the string's body (there are no quotes to strip).
      t.payload = BARE;
      t.tokenType = stringType;
      t.tokenTypeIdx = stringType.tokenTypeIdx!;
    } else if (t.tokenType === Invalid) {
      diagnostics.push(
        error(tokenSpan(file, t), "invalid-word", `'${t.image}' is not a valid word or value`, {
          hint: invalidHint(t.image),
        }),
      );
    }
  }
  const comments = (r.groups.comments ?? []) as IToken[];
  return { tokens, comments, diagnostics };
}

function invalidHint(word: string): string | undefined {
  const hostPort = /^(\d+(?:\.\d+){3}):(\d+)$/.exec(word);
  if (hostPort) return `write the port apart: ${hostPort[1]} port ${hostPort[2]}`;
  if (/^\d/.test(word) && /[A-Za-z]/.test(word)) return "names start with a letter or '_'";
  if (word.includes("/") && !word.startsWith("/")) {
    return "addresses are written 10.0.0.1/24; paths go in quotes";
  }
  if (word.startsWith("/")) return 'paths go in quotes: "' + word + '"';
  return undefined;
}

function lexError(e: ILexingError, text: string, file: string) {
  const ch = text.charAt(e.offset);
  const code = ch.codePointAt(0) ?? 0;
  const shown = code < 0x20 || code === 0x7f || code > 0x7e
    ? `U+${code.toString(16).toUpperCase().padStart(4, "0")}`
    : `'${ch}'`;
  const len = Math.max(1, e.length);
  const line = e.line ?? 1;
  const col = e.column ?? 1;
  return error(
    {
      file,
      start: { line, col, offset: e.offset },
      end: { line, col: col + len, offset: e.offset + len },
    },
    "invalid-character",
    len > 1 ? `unexpected characters starting with ${shown}` : `unexpected character ${shown}`,
  );
}

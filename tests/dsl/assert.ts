/**
 * Assertions for the tests, from node:assert/strict (JSR is not reachable).
 *
 * @module
 */
import assert from "node:assert/strict";

export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  assert.deepStrictEqual(actual, expected, msg);
}

export function assert_(cond: unknown, msg?: string): asserts cond {
  assert.ok(cond, msg);
}

export { assert_ as assert };

export function assertMatch(s: string, re: RegExp, msg?: string): void {
  assert.match(s, re, msg);
}

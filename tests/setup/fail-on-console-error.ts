/**
 * Vitest setup file: a test that calls `console.error` fails.
 *
 * console.error is spied on (and still prints) during every test; after the
 * test, any calls are reported as a failure together with what was printed.
 *
 * A test that expects an error to be logged can take over the spy, e.g.
 *
 *   const spy = vi.mocked(console.error).mockImplementation(() => {});
 *   ...
 *   expect(spy).toHaveBeenCalledWith(expect.stringContaining("boom"));
 *
 * Once the test has set its own implementation, its calls are its own business
 * and are not reported here. (`spy.mockClear()` after asserting works too.)
 */
import { format } from "node:util";
import { afterEach, beforeEach, vi, type MockInstance } from "vitest";

let spy: MockInstance<typeof console.error> | undefined;

beforeEach(() => {
  spy = vi.spyOn(console, "error");
});

afterEach(() => {
  const current = spy;
  spy = undefined;
  if (!current) return;
  const calls = [...current.mock.calls];
  const takenOver = current.getMockImplementation() !== undefined;
  current.mockRestore();
  if (takenOver || calls.length === 0) return;
  const printed = calls
    .map((args, i) => `  console.error #${i + 1}: ${format(...args)}`)
    .join("\n");
  throw new Error(
    `console.error was called ${calls.length} time(s) during this test:\n${printed}`,
  );
});

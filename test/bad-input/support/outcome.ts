/** What counts as "a clear error": the product's own refusal, not a JavaScript engine failure. */

/** Errors the engine throws on a programming mistake (undefined.x, bad regexp, stack overflow…). */
const CRASHES = [TypeError, RangeError, ReferenceError, SyntaxError, EvalError, URIError];

/** Longest message we still call clear (an echoed megabyte value is not). */
export const MAX_MESSAGE = 2000;

/** Why `error` is not a clear error, or undefined when it is one. */
export function unclearError(error: unknown): string | undefined {
  if (!(error instanceof Error)) return `threw a non-Error: ${String(error).slice(0, 80)}`;
  if (CRASHES.some((type) => error.constructor === type)) return `crashed with ${error.name}: ${error.message.slice(0, 160)}`;
  if (error.message.trim() === '') return `${error.name} without a message`;
  if (error.message.length > MAX_MESSAGE) return `${error.name} message of ${error.message.length} chars (echoes the value?)`;
  return undefined;
}

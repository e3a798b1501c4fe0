/**
 * A user-supplied value inside a message: JSON-quoted, so control characters and spaces show, and
 * clipped, so a pasted megabyte does not become a megabyte-long notification or log line.
 */
export function shownValue(value: string, max = 120): string {
  if (value.length <= max) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, max)).slice(0, -1)}…" (${value.length} characters)`;
}

/** Text built around user values (a command line, a summary): its start is what tells what it was. */
export function clipText(text: string, max = 500): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

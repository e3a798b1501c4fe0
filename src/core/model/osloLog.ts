/**
 * Colours oslo.log lines (`2026-11-25 12:00:00.123 1234 INFO heat.engine.service [-] msg`) by
 * level for a terminal. Works on whole chunks; a line split across chunks stays uncoloured.
 */
const RECORD = /^(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?\s+\d+\s+)(CRITICAL|ERROR|WARNING|INFO|DEBUG|TRACE)(\s+\S+)/gm;

const COLOURS: Record<string, string> = {
  CRITICAL: '\x1b[1;41;97m',
  ERROR: '\x1b[1;31m',
  WARNING: '\x1b[33m',
  INFO: '\x1b[32m',
  DEBUG: '\x1b[2m',
  TRACE: '\x1b[2m',
};
const DIM = '\x1b[2m';
const CYAN = '\x1b[36m';
const RESET = '\x1b[0m';

export function colorizeOsloLog(text: string): string {
  return text.replace(RECORD, (_line, prefix: string, level: string, logger: string) => `${DIM}${prefix}${RESET}${COLOURS[level] ?? ''}${level}${RESET}${CYAN}${logger}${RESET}`);
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { colorizeOsloLog } from '../../../src/core/model/osloLog';

test('levels get their colour, the text is otherwise unchanged', () => {
  const text = '2026-11-25 12:00:00.123 1234 ERROR heat.engine.service [-] boom\r\n2026-11-25 12:00:01.000 1234 INFO heat.api [req-1] ok\r\nplain line\r\n';
  const coloured = colorizeOsloLog(text);
  assert.match(coloured, /\x1b\[1;31mERROR\x1b\[0m/);
  assert.match(coloured, /\x1b\[32mINFO\x1b\[0m/);
  assert.equal(coloured.replace(/\x1b\[[0-9;]*m/g, ''), text);
});

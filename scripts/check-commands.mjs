// Fails when package.json and src/extension/constants.ts disagree on command ids, or when a
// contributed command is not registered in src/extension/commands/registerCommands.ts.
import { readFileSync } from 'node:fs';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const constants = readFileSync('src/extension/constants.ts', 'utf8');
const registrations = readFileSync('src/extension/commands/registerCommands.ts', 'utf8');

const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
const commandsBlock = constants.slice(constants.indexOf('export const Commands'), constants.indexOf('} as const;'));
const declared = new Map([...commandsBlock.matchAll(/(\w+):\s*'(osaDev\.[\w.]+)'/g)].map((m) => [m[2], m[1]]));
const registered = new Set([...registrations.matchAll(/Commands\.(\w+)/g)].map((m) => m[1]));

const problems = [];
for (const id of contributed) {
  if (!declared.has(id)) problems.push(`${id} is contributed in package.json but not declared in constants.ts`);
  else if (!registered.has(declared.get(id))) problems.push(`${id} is contributed but never registered`);
}
for (const id of declared.keys()) {
  if (!contributed.has(id)) problems.push(`${id} is declared in constants.ts but not contributed in package.json`);
}
const menuCommands = Object.values(manifest.contributes.menus ?? {}).flat().map((entry) => entry.command);
for (const id of menuCommands) {
  if (!contributed.has(id)) problems.push(`menu entry names unknown command ${id}`);
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`commands: ${contributed.size} contributed, all declared and registered`);

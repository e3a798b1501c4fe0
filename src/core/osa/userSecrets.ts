/**
 * Setting one key of /etc/openstack_deploy/user_secrets.yml in place: the file's comments, order and
 * other keys stay byte-identical, only the key's own line (and a block scalar's continuation lines)
 * change. The result is re-parsed to prove the file still says exactly what we meant.
 */
import { load } from 'js-yaml';

export class UserSecretsError extends Error {
  override readonly name = 'UserSecretsError';
}

const KEY_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A YAML single-quoted scalar: the only escape is '' for '. Newlines are refused by the caller. */
function yamlSingleQuoted(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function setTopLevelSecret(text: string, key: string, value: string): string {
  if (!KEY_NAME.test(key)) throw new UserSecretsError(`Not a secret name: ${JSON.stringify(key)}`);
  if (value === '') throw new UserSecretsError(`The value for ${key} is empty.`);
  if (/[\r\n\0]/.test(value)) throw new UserSecretsError(`The value for ${key} must be one line.`);
  const before = parseMapping(text);

  const lines = text.split('\n');
  const keyLine = new RegExp(`^${key}\\s*:(\\s|$)`);
  const hits = lines.flatMap((line, index) => (keyLine.test(line) ? [index] : []));
  if (hits.length > 1) throw new UserSecretsError(`${key} is set ${hits.length} times in the file; fix it by hand first.`);
  const newLine = `${key}: ${yamlSingleQuoted(value)}`;
  let result: string;
  if (hits.length === 0) {
    const body = text === '' || text.endsWith('\n') ? text : `${text}\n`;
    result = `${body}${newLine}\n`;
  } else {
    const start = hits[0]!;
    let end = start + 1; // a block or folded scalar continues on indented (or blank) lines
    while (end < lines.length && (/^\s+\S/.test(lines[end]!) || (lines[end] === '' && /^\s/.test(lines[end + 1] ?? '')))) end++;
    result = [...lines.slice(0, start), newLine, ...lines.slice(end)].join('\n');
  }

  const after = parseMapping(result);
  if (after[key] !== value) throw new UserSecretsError(`Could not set ${key} safely; the file was left as it was.`);
  for (const other of Object.keys(before)) {
    if (other !== key && JSON.stringify(after[other]) !== JSON.stringify(before[other])) {
      throw new UserSecretsError(`Setting ${key} would change ${other}; the file was left as it was.`);
    }
  }
  return result;
}

function parseMapping(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = load(text);
  } catch (error) {
    throw new UserSecretsError(`user_secrets.yml is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (parsed === undefined || parsed === null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new UserSecretsError('user_secrets.yml is not a mapping of keys to values.');
  return parsed as Record<string, unknown>;
}

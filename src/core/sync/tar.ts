/**
 * A small ustar writer with pax extended headers (POSIX.1-2001) for what ustar cannot hold: long
 * or non-ASCII names and link targets, large sizes. Pure: entries in, one Buffer out.
 */
import { shownValue } from '../text/shownValue';

export type TarEntry =
  | { readonly type: 'file'; readonly path: string; readonly data: Uint8Array; readonly mode: number; readonly mtime: number }
  | { readonly type: 'symlink'; readonly path: string; readonly target: string; readonly mtime: number };

const BLOCK = 512;
const encoder = new TextEncoder();

function octal(value: number, width: number): string {
  // width includes the terminating NUL.
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function fitsUstar(text: string, max: number): boolean {
  return /^[\x20-\x7e]*$/.test(text) && encoder.encode(text).length <= max;
}

/** A pax record: "<len> <key>=<value>\n", where len counts the whole record including itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyLength = encoder.encode(body).length;
  let length = bodyLength + String(bodyLength).length;
  if (String(length).length !== length - bodyLength) length += 1;
  return `${length}${body}`;
}

function header(fields: { name: string; mode: number; size: number; mtime: number; typeflag: string; linkname?: string }): Buffer {
  const block = Buffer.alloc(BLOCK, 0);
  block.write(fields.name, 0, 100, 'utf8');
  block.write(octal(fields.mode & 0o7777, 8), 100, 8, 'ascii');
  block.write(octal(0, 8), 108, 8, 'ascii'); // uid
  block.write(octal(0, 8), 116, 8, 'ascii'); // gid
  block.write(octal(fields.size, 12), 124, 12, 'ascii');
  block.write(octal(Math.max(0, Math.floor(fields.mtime)), 12), 136, 12, 'ascii');
  block.write('        ', 148, 8, 'ascii'); // checksum placeholder
  block.write(fields.typeflag, 156, 1, 'ascii');
  if (fields.linkname) block.write(fields.linkname, 157, 100, 'utf8');
  block.write('ustar\0', 257, 6, 'ascii');
  block.write('00', 263, 2, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(octal(sum, 7) + ' ', 148, 8, 'ascii');
  return block;
}

function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return Buffer.alloc(rest === 0 ? 0 : BLOCK - rest, 0);
}

export function assertTarPath(path: string): void {
  if (path === '' || path.startsWith('/') || path.includes('\0') || path.split('/').some((part) => part === '..' || part === '.' || part === '')) {
    throw new Error(`Refusing to put ${shownValue(path)} in a tar stream: only relative paths without "..", "." or empty parts.`);
  }
}

/** Encodes entries as one tar stream (two zero blocks at the end). */
export function buildTar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    assertTarPath(entry.path);
    const size = entry.type === 'file' ? entry.data.byteLength : 0;
    const records: string[] = [];
    let name = entry.path;
    if (!fitsUstar(entry.path, 100)) {
      records.push(paxRecord('path', entry.path));
      name = asciiFallback(entry.path);
    }
    let linkname: string | undefined;
    if (entry.type === 'symlink') {
      linkname = entry.target;
      if (!fitsUstar(entry.target, 100)) {
        records.push(paxRecord('linkpath', entry.target));
        linkname = asciiFallback(entry.target);
      }
    }
    if (size > 0o77777777777) records.push(paxRecord('size', String(size)));
    if (records.length > 0) {
      const pax = Buffer.from(records.join(''), 'utf8');
      parts.push(header({ name: asciiFallback(`PaxHeaders/${entry.path}`), mode: 0o644, size: pax.length, mtime: entry.mtime, typeflag: 'x' }), pax, padding(pax.length));
    }
    if (entry.type === 'file') {
      parts.push(header({ name, mode: entry.mode, size: size > 0o77777777777 ? 0 : size, mtime: entry.mtime, typeflag: '0' }));
      parts.push(Buffer.from(entry.data.buffer, entry.data.byteOffset, entry.data.byteLength), padding(size));
    } else {
      parts.push(header({ name, mode: 0o777, size: 0, mtime: entry.mtime, typeflag: '2', ...(linkname === undefined ? {} : { linkname }) }));
    }
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0));
  return Buffer.concat(parts);
}

// What a reader without pax support would see: printable ASCII, at most 99 bytes.
function asciiFallback(path: string): string {
  return path.replace(/[^\x20-\x7e]/g, '_').slice(-99).replace(/^\/+/, '');
}

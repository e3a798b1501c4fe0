import type { Step } from '../types';
import { readContainerFile, restoreContainerFile, writeContainerFile, type FileSnapshot } from './containerFile';

/**
 * Replace a file in the container (a config under /etc, pip.conf…). The original bytes, mode and
 * owner are journaled before the write; undo puts them back byte for byte.
 */
export function editFileStep(path: string, content: Uint8Array, id = `edit:${path}`): Step<FileSnapshot> {
  return {
    id,
    title: `Edit ${path}`,
    capture: (ctx) => readContainerFile(ctx.host, ctx.runtime, ctx.container, path),
    check: async (ctx) => {
      const now = await readContainerFile(ctx.host, ctx.runtime, ctx.container, path);
      return now.exists && Buffer.from(now.base64, 'base64').equals(Buffer.from(content));
    },
    apply: (ctx, original) => writeContainerFile(ctx.host, ctx.runtime, ctx.container, path, content, original),
    undo: (ctx, original) => restoreContainerFile(ctx.host, ctx.runtime, ctx.container, original),
  };
}

import { parseArgs } from 'node:util';
import { VexError } from '../../errors.js';
import { defaultDemoDir, ensureDemoStore } from '../../demo/demoStore.js';
import { Store } from '../../store/Store.js';
import type { Command } from '../command.js';

const usage = `Usage: vexctl demo [--dir DIR]

Creates the demo store on first run (default: $XDG_DATA_HOME/vexfs/demo-store) and
shows what is in it, with commands to try next.`;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'create (on first run) and show the demo store',
  usage,
  async run(ctx) {
    let values;
    try {
      ({ values } = parseArgs({
        args: [...ctx.argv],
        options: { dir: { type: 'string' } },
        strict: true,
        allowPositionals: false,
      }));
    } catch (error) {
      throw new VexError('E_USAGE', `${(error as Error).message}\n${usage}`);
    }
    const dir = values.dir ?? defaultDemoDir(ctx.env);
    const created = await ensureDemoStore(dir);
    const store = await Store.open(dir, { readOnly: true });
    try {
      const files = store.db
        .prepare('SELECT COUNT(*) FROM inodes WHERE (mode & 61440) = 32768')
        .pluck()
        .get() as number;
      const vectors = store.db
        .prepare("SELECT COUNT(*) FROM xattrs WHERE name = 'user.vexfs.vector'")
        .pluck()
        .get() as number;
      ctx.io.out(
        [
          `${created ? 'Created' : 'Opened'} the demo store at ${dir}`,
          `  format ${store.meta.formatVersion}, dim ${store.meta.dim}, metric ${store.meta.metric}, ${files} files, ${vectors} with vectors`,
          '',
          'Try:',
          `  npx vexctl fs ${dir} ls /notes`,
          `  npx vexctl fs ${dir} cat /notes/simd.txt`,
          `  npx vexctl store info ${dir}`,
          `  npx vexctl fsck ${dir}`,
          `  npx vexctl bench profiles`,
        ].join('\n'),
      );
    } finally {
      await store.close();
    }
    return 0;
  },
};

import { resolve } from 'node:path';
import { VexError } from '../../errors.js';
import {
  datasetsDir,
  importDataset,
  listDatasets,
  loadDataset,
  type DatasetManifest,
} from '../../vector/io/datasets.js';
import type { Command, ExitCode } from '../command.js';
import { intOption, parseCommand } from './collection.js';

const usage = `Usage: vexctl dataset SUBCOMMAND ...

  import FILE [--ground-truth FILE.ivecs] [--name NAME] [--format F] [--dim N]
         FILE: .json, .csv, .f32 (raw float32, needs --dim), .fvecs or .npy. The file is validated,
         copied into $XDG_DATA_HOME/vexfs/datasets/NAME with its SHA-256, and profiles can name it.
  list
  info NAME      (re-reads the files and checks them against the recorded checksums)

Options: --json prints JSON instead of text.`;

function line(m: DatasetManifest): string {
  const truth = m.groundTruth ? `, ground truth ${m.groundTruth.count} queries × top-${m.groundTruth.k}` : '';
  return `${m.name.padEnd(24)} ${m.count} × ${m.dim} (${m.format})${truth}  sha256 ${m.sha256.slice(0, 16)}…`;
}

export const datasetCommand: Command = {
  name: 'dataset',
  summary: 'import vector files (with optional ground truth) as datasets that benchmark profiles can name',
  usage,
  async run(ctx): Promise<ExitCode> {
    const [sub, ...rest] = ctx.argv;
    const out = (json: boolean, value: unknown, lines: string[]): void =>
      ctx.io.out(json ? JSON.stringify(value, null, 2) : lines.join('\n'));
    if (sub === 'import') {
      const { values, positionals } = parseCommand(
        rest,
        {
          'ground-truth': { type: 'string' },
          name: { type: 'string' },
          format: { type: 'string' },
          dim: { type: 'string' },
        },
        { min: 1, max: 1, names: 'FILE' },
        usage,
      );
      const dim = intOption(values, 'dim', 1, 65_536);
      const truth = values['ground-truth'];
      const manifest = importDataset(resolve(ctx.cwd, positionals[0] as string), {
        env: ctx.env,
        ...(typeof values.name === 'string' ? { name: values.name } : {}),
        ...(typeof truth === 'string' ? { groundTruth: resolve(ctx.cwd, truth) } : {}),
        ...(typeof values.format === 'string' ? { format: values.format } : {}),
        ...(dim === undefined ? {} : { dim }),
      });
      out(values.json === true, manifest, [`Imported dataset into ${datasetsDir(ctx.env)}:`, `  ${line(manifest)}`]);
      return 0;
    }
    if (sub === 'list') {
      const { values } = parseCommand(rest, {}, { min: 0, max: 0, names: 'no arguments' }, usage);
      const all = listDatasets(ctx.env);
      out(values.json === true, all, all.length === 0 ? [`No datasets in ${datasetsDir(ctx.env)}`] : all.map(line));
      return 0;
    }
    if (sub === 'info') {
      const { values, positionals } = parseCommand(rest, {}, { min: 1, max: 1, names: 'NAME' }, usage);
      const loaded = loadDataset(positionals[0] as string, ctx.env);
      out(values.json === true, { ...loaded.manifest, verified: true }, [
        line(loaded.manifest),
        '  files match their recorded checksums',
      ]);
      return 0;
    }
    throw new VexError(
      'E_USAGE',
      `${sub === undefined ? 'a subcommand is missing' : `unknown subcommand '${sub}'`}\n${usage}`,
    );
  },
};

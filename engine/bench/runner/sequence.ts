import { createRandom } from '../stats/random.js';

const SEQUENCE_LENGTH = 4096;

/**
 * The order in which a mix's ops run: a seeded shuffle of a table holding each op in
 * proportion to its weight. Precomputed so the hot loop draws no random numbers, and
 * seeded so that a rerun performs the same ops in the same order.
 */
export function buildSequence(
  mix: Readonly<Record<string, number>>,
  ops: readonly string[],
  seed: number,
): Uint16Array {
  const entries = Object.entries(mix);
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  const table = new Uint16Array(SEQUENCE_LENGTH);
  let filled = 0;
  entries.forEach(([op, weight], index) => {
    const opIndex = ops.indexOf(op);
    const share =
      index === entries.length - 1 ? SEQUENCE_LENGTH - filled : Math.round((weight / total) * SEQUENCE_LENGTH);
    for (let k = 0; k < share && filled < SEQUENCE_LENGTH; k++) table[filled++] = opIndex;
  });
  const random = createRandom(seed);
  for (let i = table.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const swap = table[i] as number;
    table[i] = table[j] as number;
    table[j] = swap;
  }
  return table;
}

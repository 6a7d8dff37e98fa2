// Bounded top-k selection with the kernels' total order: numbers ascending, NaN after every number,
// ties by lower index. The heap keeps its worst entry at the root so a better candidate replaces it.

/** True when (da, ia) ranks before (db, ib). */
export function ranksBefore(da: number, ia: number, db: number, ib: number): boolean {
  const aNan = da !== da;
  const bNan = db !== db;
  if (aNan !== bNan) return bNan;
  if (!aNan && da !== db) return da < db;
  return ia < ib;
}

export class TopKHeap {
  private readonly distances: Float64Array;
  private readonly indices: Uint32Array;
  private size = 0;

  constructor(private readonly k: number) {
    this.distances = new Float64Array(k);
    this.indices = new Uint32Array(k);
  }

  push(distance: number, index: number): void {
    if (this.size < this.k) {
      let child = this.size++;
      // Sift up: the parent must rank after (be worse than) the child.
      while (child > 0) {
        const parent = (child - 1) >> 1;
        const pd = this.distances[parent] as number;
        const pi = this.indices[parent] as number;
        if (!ranksBefore(pd, pi, distance, index)) break;
        this.distances[child] = pd;
        this.indices[child] = pi;
        child = parent;
      }
      this.distances[child] = distance;
      this.indices[child] = index;
      return;
    }
    if (this.k === 0 || !ranksBefore(distance, index, this.distances[0] as number, this.indices[0] as number)) return;
    let parent = 0;
    for (;;) {
      const left = parent * 2 + 1;
      if (left >= this.size) break;
      const right = left + 1;
      let worst = left;
      if (
        right < this.size &&
        ranksBefore(
          this.distances[left] as number,
          this.indices[left] as number,
          this.distances[right] as number,
          this.indices[right] as number,
        )
      ) {
        worst = right;
      }
      const wd = this.distances[worst] as number;
      const wi = this.indices[worst] as number;
      if (!ranksBefore(distance, index, wd, wi)) break;
      this.distances[parent] = wd;
      this.indices[parent] = wi;
      parent = worst;
    }
    this.distances[parent] = distance;
    this.indices[parent] = index;
  }

  /** Kept entries in rank order. */
  sorted(): Array<{ distance: number; index: number }> {
    const entries: Array<{ distance: number; index: number }> = [];
    for (let i = 0; i < this.size; i++) {
      entries.push({ distance: this.distances[i] as number, index: this.indices[i] as number });
    }
    return entries.sort((a, b) => (ranksBefore(a.distance, a.index, b.distance, b.index) ? -1 : 1));
  }
}

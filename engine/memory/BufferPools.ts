import { VexError } from '../errors.js';

/** The seed system's tiers: a request is served by the smallest tier that holds it. */
export const TIER_SIZES = [1024, 4096, 16384] as const;
export type TierSize = (typeof TIER_SIZES)[number];

export interface TierStats {
  readonly sizeBytes: TierSize;
  /** Acquires served from the tier's free list. */
  readonly hits: number;
  /** Acquires that allocated a new tier buffer (the free list was empty, the bound not reached). */
  readonly misses: number;
  /** Acquires this tier should have served but could not: its share of the bound was all in use. */
  readonly fallbacks: number;
  /** Tier buffers that exist (in use or free), and the most the tier's share of the bound allows. */
  readonly buffers: number;
  readonly capacity: number;
  readonly inUse: number;
  /** inUse / capacity: 1 means the next acquire on this tier falls back. */
  readonly utilisation: number;
}

export interface PoolStats {
  readonly boundBytes: number;
  /** Bytes of tier buffers that exist (in use or free): what the pools hold. */
  readonly heldBytes: number;
  readonly tiers: readonly TierStats[];
  /** Requests larger than the largest tier: always a plain allocation. */
  readonly oversizeFallbacks: number;
  readonly releases: number;
}

type SlotState = 'in-use' | 'free' | 'fallback' | 'fallback-released';

interface Slot {
  state: SlotState;
  /** The tier index, or -1 for a plain (fallback) allocation. */
  tier: number;
}

interface Tier {
  readonly sizeBytes: TierSize;
  readonly capacity: number;
  readonly free: Buffer[];
  buffers: number;
  inUse: number;
  hits: number;
  misses: number;
  fallbacks: number;
}

/**
 * Tiered buffer pools (1 KiB, 4 KiB, 16 KiB) bounded in total by `boundBytes`: each tier
 * may hold a third of the bound. Every buffer handed out owns its ArrayBuffer
 * (Buffer.allocUnsafeSlow), so `release` can tell a pool buffer from a foreign one and a
 * second release from the first. A request the pools cannot serve (larger than 16 KiB,
 * or its tier's share all in use) is a plain allocation, counted as a fallback; releasing
 * it is accepted and drops it. Contents are not cleared: like Buffer.allocUnsafe, callers
 * write before they read.
 */
export class BufferPools {
  readonly boundBytes: number;
  private readonly tiers: Tier[];
  private readonly slots = new WeakMap<ArrayBuffer, Slot>();
  private oversizeFallbacks = 0;
  private releases = 0;

  constructor(boundBytes: number) {
    if (!Number.isSafeInteger(boundBytes) || boundBytes < 0) {
      throw new VexError('E_INVALID', `the pool bound must be a whole number of bytes ≥ 0, got ${boundBytes}`);
    }
    this.boundBytes = boundBytes;
    const share = Math.floor(boundBytes / TIER_SIZES.length);
    this.tiers = TIER_SIZES.map((sizeBytes) => ({
      sizeBytes,
      capacity: Math.floor(share / sizeBytes),
      free: [],
      buffers: 0,
      inUse: 0,
      hits: 0,
      misses: 0,
      fallbacks: 0,
    }));
  }

  /** A buffer of exactly `sizeBytes` bytes (a view of a tier buffer, or a plain allocation). */
  acquire(sizeBytes: number): Buffer {
    if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 0) {
      throw new VexError('E_INVALID', `a buffer size must be a whole number of bytes ≥ 0, got ${sizeBytes}`);
    }
    const index = TIER_SIZES.findIndex((size) => sizeBytes <= size);
    const tier = this.tiers[index];
    if (tier === undefined) {
      this.oversizeFallbacks += 1;
      return this.plain(sizeBytes);
    }
    let buffer = tier.free.pop();
    if (buffer !== undefined) {
      tier.hits += 1;
    } else if (tier.buffers < tier.capacity) {
      tier.misses += 1;
      tier.buffers += 1;
      buffer = Buffer.allocUnsafeSlow(tier.sizeBytes);
    } else {
      tier.fallbacks += 1;
      return this.plain(sizeBytes);
    }
    tier.inUse += 1;
    this.slots.set(buffer.buffer as ArrayBuffer, { state: 'in-use', tier: index });
    return sizeBytes === tier.sizeBytes ? buffer : buffer.subarray(0, sizeBytes);
  }

  /** Gives a buffer from `acquire` back; a foreign buffer or a second release is E_INVALID. */
  release(buffer: Uint8Array): void {
    const slot = buffer.byteOffset === 0 ? this.slots.get(buffer.buffer as ArrayBuffer) : undefined;
    if (slot === undefined) {
      throw new VexError(
        'E_INVALID',
        `release was given a buffer these pools did not hand out (${buffer.byteLength} bytes); release only what acquire returned`,
      );
    }
    if (slot.state === 'free' || slot.state === 'fallback-released') {
      throw new VexError(
        'E_INVALID',
        `a buffer of ${buffer.byteLength} bytes was released twice; it may already be in use elsewhere, so the second release is refused`,
      );
    }
    this.releases += 1;
    if (slot.state === 'fallback') {
      slot.state = 'fallback-released';
      return;
    }
    const tier = this.tiers[slot.tier]!;
    slot.state = 'free';
    tier.inUse -= 1;
    tier.free.push(Buffer.from(buffer.buffer as ArrayBuffer, 0, tier.sizeBytes));
  }

  stats(): PoolStats {
    return {
      boundBytes: this.boundBytes,
      heldBytes: this.tiers.reduce((sum, t) => sum + t.buffers * t.sizeBytes, 0),
      tiers: this.tiers.map((t) => ({
        sizeBytes: t.sizeBytes,
        hits: t.hits,
        misses: t.misses,
        fallbacks: t.fallbacks,
        buffers: t.buffers,
        capacity: t.capacity,
        inUse: t.inUse,
        utilisation: t.capacity === 0 ? 1 : t.inUse / t.capacity,
      })),
      oversizeFallbacks: this.oversizeFallbacks,
      releases: this.releases,
    };
  }

  private plain(sizeBytes: number): Buffer {
    const buffer = Buffer.allocUnsafeSlow(sizeBytes);
    this.slots.set(buffer.buffer as ArrayBuffer, { state: 'fallback', tier: -1 });
    return buffer;
  }
}

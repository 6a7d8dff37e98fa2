import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  analyzeCalibration,
  binomial,
  exactPermutationPValue,
  permutationPValue,
  bootstrapCi,
  classifyOutliers,
  compareSamples,
  comparePaired,
  createRandom,
  decideVerdict,
  holmAdjust,
  mean,
  normalCdf,
  outlierWarning,
  smallestDetectableChangePct,
  studentTQuantile,
  timeBlockMeans,
  trialsNeeded,
  type Random,
} from '../../engine/bench/stats/index.js';
import { isVexError } from '../../engine/errors.js';

// Noise model: each trial's throughput is true × (1 + 0.03·Z), Z standard normal, independent
// across trials: a per-trial coefficient of variation of 3 %. 10 trials a side.
const CV = 0.03;
const TRIALS = 10;
const long = process.env.VEXFS_TEST_TIER === 'long';
const SIMULATIONS = long ? 1000 : 200;
const RESAMPLES = long ? 5_000 : 2_000;

function trials(random: Random, trueValue: number, n = TRIALS, cv = CV): number[] {
  return Array.from({ length: n }, () => trueValue * (1 + cv * random.normal()));
}

describe('two-sample comparison on synthetic trials (CV 3 %, 10 trials a side)', () => {
  it('detects a 10 % throughput regression in ≥ 95 % of simulated comparisons', () => {
    const random = createRandom(101);
    let regressed = 0;
    for (let s = 0; s < SIMULATIONS; s++) {
      const result = compareSamples(trials(random, 1000), trials(random, 900), {
        higherIsBetter: true,
        resamples: RESAMPLES,
        seed: s,
      });
      if (result.verdict === 'regressed') regressed++;
    }
    assert.ok(regressed / SIMULATIONS >= 0.95, `detected ${regressed} of ${SIMULATIONS}`);
  });

  it('detects a 10 % latency increase as a regression when lower is better', () => {
    const random = createRandom(102);
    let regressed = 0;
    for (let s = 0; s < SIMULATIONS; s++) {
      const r = compareSamples(trials(random, 50), trials(random, 55), {
        higherIsBetter: false,
        resamples: RESAMPLES,
        seed: s,
      });
      if (r.verdict === 'regressed') regressed++;
    }
    assert.ok(regressed / SIMULATIONS >= 0.95, `detected ${regressed} of ${SIMULATIONS}`);
  });

  it('flags an A/A comparison (improved or regressed) in ≤ 5 % of simulations', () => {
    const random = createRandom(103);
    let flagged = 0;
    let significant = 0;
    for (let s = 0; s < SIMULATIONS; s++) {
      const result = compareSamples(trials(random, 1000), trials(random, 1000), {
        higherIsBetter: true,
        resamples: RESAMPLES,
        seed: s,
      });
      if (result.verdict === 'improved' || result.verdict === 'regressed') flagged++;
      if (result.pValue < 0.05) significant++;
    }
    assert.ok(flagged / SIMULATIONS <= 0.05, `flagged ${flagged} of ${SIMULATIONS}`);
    // The permutation test itself is calibrated: about α of A/A p-values fall below α.
    assert.ok(significant / SIMULATIONS <= 0.1, `p < 0.05 in ${significant} of ${SIMULATIONS}`);
  });

  it('gives 95 % CIs that cover the true change about 95 % of the time (expanded percentile bootstrap)', () => {
    const random = createRandom(108);
    const runs = long ? 1000 : 300;
    let unpaired = 0;
    let paired = 0;
    for (let s = 0; s < runs; s++) {
      const r = compareSamples(trials(random, 1000), trials(random, 900), {
        higherIsBetter: true,
        resamples: 1000,
        seed: s,
      });
      if (r.changeCiPct[0] <= -10 && -10 <= r.changeCiPct[1]) unpaired++;
      const a = trials(random, 1000);
      const b = a.map((x) => x * 0.9 * (1 + 0.01 * random.normal()));
      const p = comparePaired(a, b, { higherIsBetter: true, resamples: 1000, seed: s });
      if (p.changeCiPct[0] <= -10 && -10 <= p.changeCiPct[1]) paired++;
    }
    assert.ok(unpaired / runs >= 0.9 && unpaired / runs <= 0.99, `unpaired coverage ${unpaired / runs}`);
    assert.ok(paired / runs >= 0.9 && paired / runs <= 0.99, `paired coverage ${paired / runs}`);
  });

  it('reports the change and a CI that covers it', () => {
    const r = compareSamples([100, 101, 99, 100], [110, 111, 109, 110], { higherIsBetter: true, resamples: 2000 });
    assert.ok(Math.abs(r.changePct - 10) < 1e-9);
    assert.ok(r.changeCiPct[0] <= r.changePct && r.changePct <= r.changeCiPct[1]);
    assert.equal(r.verdict, 'improved');
  });

  it('handles counts that start at zero (dropped ops from none to some)', () => {
    const none = [0, 0, 0, 0, 0, 0, 0, 0];
    const some = [3, 5, 4, 6, 2, 5, 4, 3];
    const r = compareSamples(none, some, { higherIsBetter: false, resamples: 2000 });
    assert.equal(r.changePct, Infinity);
    assert.equal(r.verdict, 'regressed');
    const still = compareSamples(none, none, { higherIsBetter: false, resamples: 2000 });
    assert.equal(still.verdict, 'no change');
    assert.deepEqual(still.changeCiPct, [0, 0]);
    // Some baseline resamples are all zero: the CI's upper end is +∞, the verdict still defined.
    const sparse = compareSamples([0, 0, 0, 0, 0, 0, 0, 1], some, { higherIsBetter: false, resamples: 2000 });
    assert.equal(sparse.changeCiPct[1], Infinity);
    assert.ok(Number.isFinite(sparse.changeCiPct[0]));
  });

  it('enumerates every split for small samples: the exact permutation p-value', () => {
    // 2 + 2 trials: 6 splits, the observed one and its mirror are the most extreme.
    assert.equal(compareSamples([1, 2], [10, 11], { higherIsBetter: true }).pValue, 2 / 6);
    assert.equal(exactPermutationPValue([1, 2, 3], [1, 2, 3]), 1);
    assert.equal(binomial(20, 10), 184_756);
    // Random permutations agree with the exact value.
    const a = [10, 12, 11, 13, 12];
    const b = [13, 14, 12, 15, 14];
    const exact = exactPermutationPValue(a, b);
    const sampled = permutationPValue(a, b, 20_000, createRandom(9).int);
    assert.ok(Math.abs(exact - sampled) < 0.01, `${exact} vs ${sampled}`);
  });

  it('is reproducible: the same seed gives the same CI and p-value', () => {
    const a = [1, 2, 3, 4, 5, 6];
    const b = [2, 3, 4, 5, 6, 7];
    assert.deepEqual(
      compareSamples(a, b, { higherIsBetter: true, seed: 7 }),
      compareSamples(a, b, { higherIsBetter: true, seed: 7 }),
    );
  });

  it('says insufficient data with one trial a side, and refuses NaN and bad options', () => {
    assert.equal(compareSamples([1], [2], { higherIsBetter: true }).verdict, 'insufficient data');
    assert.throws(
      () => compareSamples([1, NaN], [2, 3], { higherIsBetter: true }),
      (e) => isVexError(e, 'E_INVALID'),
    );
    assert.throws(
      () => compareSamples([1, 2], [2, 3], { higherIsBetter: true, noiseThresholdPct: -1 }),
      (e) => isVexError(e, 'E_INVALID'),
    );
    assert.throws(
      () => compareSamples([1, 2], [2, 3], { higherIsBetter: true, confidence: 1.5 }),
      (e) => isVexError(e, 'E_INVALID'),
    );
  });
});

describe('verdict rule', () => {
  const base = { higherIsBetter: true, noiseThresholdPct: 2, alpha: 0.05 };
  it('follows the documented cases', () => {
    assert.equal(decideVerdict({ ...base, pValue: 0.2, changeCiPct: [-20, -10] }), 'no change');
    assert.equal(decideVerdict({ ...base, pValue: 0.01, changeCiPct: [-20, -10] }), 'regressed');
    assert.equal(decideVerdict({ ...base, pValue: 0.01, changeCiPct: [3, 10] }), 'improved');
    assert.equal(decideVerdict({ ...base, pValue: 0.01, changeCiPct: [1, 10] }), 'within noise');
    assert.equal(decideVerdict({ ...base, pValue: 0.01, changeCiPct: [-1.5, -0.5] }), 'within noise');
    assert.equal(decideVerdict({ ...base, higherIsBetter: false, pValue: 0.01, changeCiPct: [3, 10] }), 'regressed');
    assert.equal(decideVerdict({ ...base, pValue: NaN, changeCiPct: [3, 10] }), 'insufficient data');
  });
});

describe("Holm's correction", () => {
  it('adjusts p-values step-down and keeps input order', () => {
    assert.deepEqual(holmAdjust([0.01, 0.04, 0.03]), [0.03, 0.06, 0.06]);
    assert.deepEqual(holmAdjust([0.5, NaN]), [0.5, NaN]);
  });

  it('rarely gates 30 A/A metrics, while uncorrected p-values would alarm often', () => {
    const random = createRandom(104);
    const runs = long ? 200 : 40;
    let gated = 0;
    let uncorrectedAlarms = 0;
    for (let run = 0; run < runs; run++) {
      const results = Array.from({ length: 30 }, (_, m) =>
        compareSamples(trials(random, 1000), trials(random, 1000), {
          higherIsBetter: true,
          noiseThresholdPct: 0,
          resamples: 1000,
          seed: run * 100 + m,
        }),
      );
      const adjusted = holmAdjust(results.map((r) => r.pValue));
      const gateFires = results.some(
        (r, i) => decideVerdict({ ...r, higherIsBetter: true, pValue: adjusted[i] as number }) === 'regressed',
      );
      if (gateFires) gated++;
      if (results.some((r) => r.verdict === 'regressed')) uncorrectedAlarms++;
    }
    // Threshold 0 makes this the pure multiple-testing question: FWER ≤ α.
    assert.ok(gated / runs <= 0.1, `Holm gate fired in ${gated} of ${runs}`);
    assert.ok(uncorrectedAlarms > gated, `uncorrected ${uncorrectedAlarms} vs Holm ${gated}`);
  });
});

describe('paired analysis', () => {
  // Interleaved trials AB, BA, AB, … with a linear drift of 3 % per pair (a machine heating up)
  // and 0.5 % noise: B is truly 5 % slower.
  function drifting(random: Random): { a: number[]; b: number[] } {
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < TRIALS; i++) {
      const first = 1000 * (1 + 0.03 * (2 * i));
      const second = 1000 * (1 + 0.03 * (2 * i + 1));
      const [tA, tB] = i % 2 === 0 ? [first, second] : [second, first];
      a.push(tA * (1 + 0.005 * random.normal()));
      b.push(0.95 * tB * (1 + 0.005 * random.normal()));
    }
    return { a, b };
  }

  it('cancels a linear drift that the unpaired comparison does not', () => {
    const random = createRandom(105);
    let pairedDetected = 0;
    let unpairedDetected = 0;
    const runs = 30;
    for (let s = 0; s < runs; s++) {
      const { a, b } = drifting(random);
      const paired = comparePaired(a, b, { higherIsBetter: true, resamples: 2000, seed: s });
      const unpaired = compareSamples(a, b, { higherIsBetter: true, resamples: 2000, seed: s });
      if (paired.verdict === 'regressed') pairedDetected++;
      if (unpaired.verdict === 'regressed') unpairedDetected++;
      assert.ok(Math.abs(paired.changePct + 5) < 1.5, `paired estimate ${paired.changePct}`);
    }
    assert.ok(pairedDetected >= runs * 0.9, `paired detected ${pairedDetected} of ${runs}`);
    assert.ok(unpairedDetected <= runs * 0.2, `unpaired detected ${unpairedDetected} of ${runs}`);
  });

  it('uses the exact sign-flip test for few pairs and refuses unequal lengths', () => {
    const r = comparePaired([100, 100, 100], [90, 90, 90], { higherIsBetter: true });
    assert.equal(r.pValue, 2 / 8); // all same sign: 2 of 8 sign patterns are as extreme
    assert.equal(r.verdict, 'insufficient data'); // 3 pairs can never reach p < 0.05
    const six = comparePaired([100, 101, 99, 100, 102, 98], [90, 91, 89, 90, 92, 88], { higherIsBetter: true });
    assert.equal(six.pValue, 2 / 64);
    assert.equal(six.verdict, 'regressed');
    assert.throws(
      () => comparePaired([1, 2], [1], { higherIsBetter: true }),
      (e) => isVexError(e, 'E_INVALID'),
    );
  });
});

describe('bootstrap and time blocks', () => {
  it('brackets the mean and is reproducible', () => {
    const values = trials(createRandom(106), 100, 20);
    const ci = bootstrapCi(values, mean, { seed: 1, resamples: 2000 });
    assert.ok(ci.lower < ci.estimate && ci.estimate < ci.upper);
    assert.deepEqual(ci, bootstrapCi(values, mean, { seed: 1, resamples: 2000 }));
    assert.throws(
      () => bootstrapCi([]),
      (e) => isVexError(e, 'E_INVALID'),
    );
  });

  it('splits a series into block means', () => {
    assert.deepEqual(timeBlockMeans([1, 1, 2, 2, 3, 3], 3), [1, 2, 3]);
    assert.throws(
      () => timeBlockMeans([1, 2], 3),
      (e) => isVexError(e, 'E_INVALID'),
    );
    assert.throws(
      () => timeBlockMeans([1, 2], 1),
      (e) => isVexError(e, 'E_INVALID'),
    );
  });
});

describe('outliers (Tukey fences)', () => {
  it('classifies mild and severe outliers and keeps every sample', () => {
    const values = [10, 10.1, 9.9, 10, 10.2, 9.8, 10, 10.1, 10.9, 20];
    const report = classifyOutliers(values);
    assert.equal(report.classes.length, values.length);
    assert.equal(report.classes[9], 'high severe');
    assert.equal(report.classes[8], 'high severe');
    assert.ok(report.severe >= 1);
    const mildOnly = classifyOutliers([1, 2, 3, 4, 5, 6, 7, 8, 9, 16]);
    assert.equal(mildOnly.classes[9], 'high mild');
    // Quantized samples with IQR 0: a one-bucket step is not an outlier, a 10× value is.
    assert.equal(classifyOutliers([0.05, 0.05, 0.05, 0.05, 0.049]).outlierIndices.length, 0);
    assert.equal(classifyOutliers([0.05, 0.05, 0.05, 0.05, 0.5]).classes[4], 'high severe');
    const warning = outlierWarning('ops_per_s.mixed', values);
    assert.ok(warning?.includes('kept in the statistics'));
    assert.equal(outlierWarning('x', [1, 2, 3, 4, 5]), null);
    // Statistics still see the outlier: the mean includes it.
    assert.ok(compareSamples(values, values, { higherIsBetter: true, resamples: 100 }).baselineMean > 10.9);
  });
});

describe('calibration', () => {
  it('reports the noise floor and the smallest detectable change, consistent with simulation', () => {
    const random = createRandom(107);
    const aa = trials(random, 1000, 30);
    const [cal] = analyzeCalibration({ 'ops_per_s.mixed': aa }, { trials: TRIALS, targetChangesPct: [1, 10] });
    assert.ok(cal);
    assert.ok(cal.cvPct > 2 && cal.cvPct < 4.5, `cv ${cal.cvPct}`);
    assert.equal(cal.trialsNeeded[0]?.trials, null); // 1 % is inside the 2 % threshold
    // With CV 3 % and 10 trials the plan says roughly 6 % is detectable with 80 % power.
    const sdc = smallestDetectableChangePct(3, TRIALS);
    assert.ok(sdc > 5 && sdc < 7.5, `sdc ${sdc}`);
    const detected = Array.from({ length: 100 }, (_, s) =>
      compareSamples(trials(random, 1000), trials(random, 1000 * (1 - sdc / 100)), {
        higherIsBetter: true,
        resamples: 1000,
        seed: s,
      }),
    ).filter((r) => r.verdict === 'regressed').length;
    assert.ok(detected >= 65 && detected <= 97, `detected ${detected} of 100 at the planned change`);
    const n = trialsNeeded(3, 10);
    assert.ok(n !== null && n >= 2 && n <= TRIALS);
    assert.ok(smallestDetectableChangePct(3, n) <= 10 && smallestDetectableChangePct(3, n - 1) > 10);
  });

  it('refuses too few trials and bad options', () => {
    assert.throws(
      () => analyzeCalibration({ m: [1] }),
      (e) => isVexError(e, 'E_INVALID'),
    );
    assert.throws(
      () => analyzeCalibration({ m: [1, 2] }, { power: 2 }),
      (e) => isVexError(e, 'E_INVALID'),
    );
  });

  it('has t and normal functions close to tables', () => {
    assert.ok(Math.abs(studentTQuantile(0.975, 1) - 12.706) < 0.001);
    assert.ok(Math.abs(studentTQuantile(0.975, 2) - 4.303) < 0.001);
    assert.ok(Math.abs(studentTQuantile(0.975, 18) - 2.101) < 0.01);
    assert.ok(Math.abs(normalCdf(1.959964) - 0.975) < 1e-6);
    assert.ok(Math.abs(normalCdf(-1) - 0.158655) < 1e-6);
    assert.ok(Math.abs(studentTQuantile(0.975, 5) - 2.571) < 0.02);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { approximateSize, formatSize, parseSize } from '../../engine/config/sizes.js';

function bytes(value: unknown): number {
  const parsed = parseSize(value);
  assert.ok(parsed.ok, `expected ${JSON.stringify(value)} to parse: ${parsed.ok ? '' : parsed.reason}`);
  return parsed.bytes;
}

function reason(value: unknown): string {
  const parsed = parseSize(value);
  assert.ok(!parsed.ok, `expected ${JSON.stringify(value)} to be refused, got ${parsed.ok ? parsed.bytes : ''}`);
  return parsed.reason;
}

test('decimal units are powers of 1000 and binary units powers of 1024', () => {
  assert.equal(bytes('8GB'), 8e9);
  assert.equal(bytes('8GiB'), 8 * 2 ** 30);
  assert.equal(bytes('512KB'), 512_000);
  assert.equal(bytes('512kB'), 512_000);
  assert.equal(bytes('512KiB'), 512 * 1024);
  assert.equal(bytes('3MB'), 3e6);
  assert.equal(bytes('3MiB'), 3 * 2 ** 20);
  assert.equal(bytes('2TB'), 2e12);
  assert.equal(bytes('2TiB'), 2 * 2 ** 40);
  assert.equal(bytes('1PB'), 1e15);
  assert.equal(bytes('1PiB'), 2 ** 50);
  assert.equal(bytes('7B'), 7);
});

test('plain integers, digit strings, spaces and whole-byte fractions are bytes', () => {
  assert.equal(bytes(0), 0);
  assert.equal(bytes(4096), 4096);
  assert.equal(bytes('4096'), 4096);
  assert.equal(bytes(' 8 GB '), 8e9);
  assert.equal(bytes('1.5GiB'), 1.5 * 2 ** 30);
  assert.equal(bytes('0.3KB'), 300);
  assert.equal(bytes('2.25MiB'), 2.25 * 2 ** 20);
});

test('ambiguous single-letter suffixes are refused with both readings named', () => {
  assert.match(reason('4k'), /ambiguous.*KB.*KiB/);
  assert.match(reason('8G'), /ambiguous.*GB.*GiB/);
  assert.match(reason('16m'), /ambiguous.*MB.*MiB/);
});

test('wrong unit case is refused because a lowercase b means bits', () => {
  assert.match(reason('8gb'), /case-sensitive.*"GB"/);
  assert.match(reason('8Gb'), /case-sensitive.*"GB"/);
  assert.match(reason('8gib'), /case-sensitive.*"GiB"/);
});

test('garbage, negatives, exponents, fractions of a byte and huge sizes are refused', () => {
  assert.match(reason('lots'), /not a size/);
  assert.match(reason(''), /not a size/);
  assert.match(reason('GB'), /not a size/);
  assert.match(reason('-1GB'), /negative/);
  assert.match(reason(-5), /negative/);
  assert.match(reason('1e9'), /not a size/);
  assert.match(reason('8 XB'), /unknown unit "XB"/);
  assert.match(reason('1.5B'), /whole number of bytes/);
  assert.match(reason(1.5), /whole number/);
  assert.match(reason('9999999PiB'), /too large/);
  assert.match(reason(true), /integer \(bytes\) or a string/);
  assert.match(reason([1]), /an array/);
  assert.match(reason({}), /a table/);
  assert.match(reason('8 G B'), /not a size/);
});

test('formatSize picks an exact unit and approximateSize rounds', () => {
  assert.equal(formatSize(8 * 2 ** 30), '8 GiB');
  assert.equal(formatSize(8e9), '8 GB');
  assert.equal(formatSize(1536), '1536 B');
  assert.equal(formatSize(1500), '1500 B');
  assert.equal(formatSize(131072), '128 KiB');
  assert.equal(formatSize(0), '0 B');
  assert.equal(formatSize(3000), '3 KB');
  assert.equal(formatSize(2 ** 20), '1 MiB');
  assert.equal(approximateSize(1.5 * 2 ** 30), '1.5 GiB');
  assert.equal(approximateSize(10), '10 B');
});

test('formatSize output parses back to the same bytes', () => {
  for (const value of [0, 1, 999, 1000, 1024, 65536, 8e9, 8 * 2 ** 30, 3e15]) {
    assert.equal(bytes(formatSize(value).replace(' ', '')), value);
  }
});

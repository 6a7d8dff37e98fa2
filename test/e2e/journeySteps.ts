import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

/** On the Stores page: creates a 4-dimension store at `dir`, adds /docs and /docs/a.txt with a vector. */
export async function createStoreWithVectorFile(page: Page, dir: string): Promise<void> {
  await page.getByLabel('Store directory').fill(dir);
  await page.getByLabel('Vector dimensions').fill('4');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByText('This store is empty').waitFor();
  await page.getByLabel('Path').fill('/docs');
  await page.getByRole('button', { name: 'Add directory' }).click();
  await page.getByText('Directory /docs added.').waitFor();
  await page.getByLabel('Path').fill('/docs/a.txt');
  await page.getByLabel('Content').fill('hello vectors');
  await page.getByLabel('Vector (comma-separated)').fill('0.1, 0.7, -0.3, 0.5');
  await page.getByRole('button', { name: 'Add file' }).click();
  await page.getByText('Vector (4 dimensions)').waitFor();
}

/**
 * The vector part of the new user's journey, shared by the served (Chromium) and the desktop
 * (Electron) tests: a second file with a vector and the first one's nearest neighbour, a named
 * collection with points (a bad one refused), and the search playground with a filter and its
 * explanation. Starts on the Stores page of a 4-dimension cosine store holding /docs/a.txt with a
 * vector; ends back on the Stores page.
 */
export async function vectorsJourney(page: Page, shot: (page: Page, name: string) => Promise<void>): Promise<void> {
  // A second file with a vector is the first one's nearest neighbour.
  await page.getByLabel('Path').fill('/docs/b.txt');
  await page.getByLabel('Vector (comma-separated)').fill('0.2, 0.6, -0.3, 0.4');
  await page.getByRole('button', { name: 'Add file' }).click();
  await page.getByText('File /docs/b.txt added.').waitFor();
  // Adding it selects it: its details list /docs/a.txt as its nearest neighbour.
  const neighbours = page.locator('section[aria-label="Nearest neighbours"]');
  await neighbours.getByRole('button', { name: '/docs/a.txt' }).waitFor();
  await shot(page, '1a-neighbours');

  // Collections: _files counts both files; a named collection is created and points added (a bad one refused).
  await page.locator('#nav-collections').click();
  const collections = page.getByRole('table', { name: 'Collections' });
  await collections.getByRole('row', { name: /_files\s+2\s+4\s+cosine/ }).waitFor();
  await page.getByLabel('New collection').fill('notes');
  await page.getByLabel('Dimensions').fill('3');
  await page.getByLabel('Metric').selectOption('l2');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.locator('section[aria-label="Collection notes"]').waitFor();
  const addPoint = async (id: string, vector: string, payload: string): Promise<void> => {
    await page.getByLabel('Point id').fill(id);
    await page.getByLabel('Vector (3 numbers)').fill(vector);
    await page.getByLabel('Payload (JSON object, optional)').fill(payload);
    await page.getByRole('button', { name: 'Add point' }).click();
  };
  await addPoint('p1', '1, 0, 0', '{"lang": "en"}');
  await page.locator('.point-list', { hasText: 'p1' }).waitFor();
  await addPoint('p2', '0, 1, 0', '{"lang": "fr"}');
  await page.locator('.point-list', { hasText: 'p2' }).waitFor();
  await addPoint('p3', '1, 2', '');
  await page.locator('.error-note', { hasText: 'E_DIM_MISMATCH' }).waitFor();
  await collections.getByRole('row', { name: /notes\s+2\s+3\s+l2\s+flat/ }).waitFor();
  await shot(page, '1b-collections');

  // Search playground: a vector with a payload filter, explained; then a file's neighbours in _files.
  await page.locator('#nav-search').click();
  await page.getByRole('combobox', { name: 'Collection' }).selectOption('notes');
  await page.getByLabel(/^Vector \(3 numbers/).fill('0.9, 0.2, 0');
  await page.getByLabel('Payload filter (JSON, optional)').fill('{"lang": "fr"}');
  await page.locator('form[aria-label="Search"]').getByRole('button', { name: 'Search' }).click();
  const results = page.locator('section[aria-label="Results"]');
  await results.getByRole('button', { name: 'p2' }).waitFor();
  assert.equal(await results.locator('tbody tr').count(), 1);
  await page.locator('section[aria-label="Explain"]', { hasText: '1 of 2 points passed the filter' }).waitFor();
  await shot(page, '1c-search');
  await page.getByRole('combobox', { name: 'Collection' }).selectOption('_files');
  await page.getByLabel('a file').check();
  await page.getByLabel('File path').fill('/docs/a.txt');
  await page.getByLabel('Payload filter (JSON, optional)').fill('');
  await page.locator('form[aria-label="Search"]').getByRole('button', { name: 'Search' }).click();
  await results.getByRole('button', { name: '/docs/b.txt' }).waitFor();
  assert.equal(await results.getByRole('button', { name: '/docs/a.txt' }).count(), 0, 'the query file is left out');
  await page.locator('#nav-stores').click();
}

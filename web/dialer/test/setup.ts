import { beforeEach } from 'vitest';
// The app loads number formatting after ready; the tests start with it loaded.
import { loadFormatting } from '../src/number-format';

await loadFormatting();

// A tab's audio marker (sessionStorage) must not leak from one test's call into the next.
beforeEach(() => sessionStorage.clear());

// The app loads number formatting after ready; the tests start with it loaded.
import { loadFormatting } from '../src/number-format';

await loadFormatting();

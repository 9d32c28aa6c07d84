// The one part of libphonenumber-js the dialer uses; number-format.ts imports this module lazily,
// and going through it lets esbuild leave the rest of the library out of the chunk.
export { AsYouType } from 'libphonenumber-js/min';

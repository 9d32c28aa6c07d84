// Build entry of dialer-sdk.mjs: the default server is the origin this module was imported from.
import { setLoadedFrom } from './server-url';

setLoadedFrom(import.meta.url);

export * from './index';
export { default } from './index';

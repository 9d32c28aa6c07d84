// Build entry of dialer-sdk.umd.js and dialer-sdk.cjs. `document.currentScript` is only set while
// the <script> evaluates, so the default server is captured here, at module evaluation.
import Net2PhoneDialer, * as api from './index';
import { setLoadedFrom } from './server-url';

const script = typeof document === 'undefined' ? null : (document.currentScript as HTMLScriptElement | null);
setLoadedFrom(script && script.src);

// The UMD global and `require()` give the class itself; the named exports (errors, enums, and
// `default` for interop) hang off it, so `require('@net2phone/dialer-sdk').CallState` works too.
Object.assign(Net2PhoneDialer, api);

export default Net2PhoneDialer;

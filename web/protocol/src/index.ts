export * from './envelope';
export * from './errors';
export * from './events';
export * from './methods';
export * from './websocket';
export { isPlainObject } from './checks';
export type { PlainObject } from './checks';

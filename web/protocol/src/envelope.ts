import { isPlainObject, type PlainObject } from './checks';
import type { WireError } from './errors';
import type { DialerEvent } from './events';
import type { MethodName, MethodParams, MethodResult } from './methods';

/** Every postMessage envelope carries this namespace and version (protocol.md, part 1). */
export const PROTOCOL_NAMESPACE = 'net2phone-dialer';
export const PROTOCOL_VERSION = 1;
/** Request ids are 1 to 64 characters. */
export const MAX_ID_LENGTH = 64;

export const ENVELOPE_KINDS = ['ready', 'request', 'response', 'event'] as const;
export type EnvelopeKind = (typeof ENVELOPE_KINDS)[number];

interface EnvelopeHeader<K extends EnvelopeKind> {
  ns: typeof PROTOCOL_NAMESPACE;
  v: typeof PROTOCOL_VERSION;
  kind: K;
}

/** Dialer → SDK, once: the dialer app has loaded and accepted its parent. */
export type ReadyMessage = EnvelopeHeader<'ready'>;

/** SDK → dialer. `params` is always an object. */
export interface RequestMessage<M extends string = string> extends EnvelopeHeader<'request'> {
  id: string;
  method: M;
  params: M extends MethodName ? MethodParams<M> : PlainObject;
}

export interface SuccessResponseMessage<R = unknown> extends EnvelopeHeader<'response'> {
  id: string;
  ok: true;
  result: R;
}

export interface ErrorResponseMessage extends EnvelopeHeader<'response'> {
  id: string;
  ok: false;
  error: WireError;
}

/** Dialer → SDK: the answer to the request with the same `id`. */
export type ResponseMessage<R = unknown> = SuccessResponseMessage<R> | ErrorResponseMessage;

/**
 * Dialer → SDK: `event.type` is a string; the fields of known types are checked by the event
 * guards (`isDialerEvent`), so an unknown type passes here and is ignored by the receiver.
 */
export interface EventMessage<E extends { type: string } = { type: string; [field: string]: unknown }>
  extends EnvelopeHeader<'event'> {
  event: E;
}

export type Envelope = ReadyMessage | RequestMessage | ResponseMessage | EventMessage;

function hasHeader(data: unknown, kind: EnvelopeKind): data is PlainObject {
  return (
    isPlainObject(data) &&
    data.ns === PROTOCOL_NAMESPACE &&
    data.v === PROTOCOL_VERSION &&
    data.kind === kind
  );
}

export function isMessageId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;
}

export function isReadyMessage(data: unknown): data is ReadyMessage {
  return hasHeader(data, 'ready');
}

export function isRequestMessage(data: unknown): data is RequestMessage {
  return (
    hasHeader(data, 'request') &&
    isMessageId(data.id) &&
    typeof data.method === 'string' &&
    data.method.length > 0 &&
    isPlainObject(data.params)
  );
}

export function isResponseMessage(data: unknown): data is ResponseMessage {
  if (!hasHeader(data, 'response') || !isMessageId(data.id)) return false;
  if (data.ok === true) return 'result' in data;
  return (
    data.ok === false &&
    isPlainObject(data.error) &&
    typeof data.error.name === 'string' &&
    typeof data.error.message === 'string'
  );
}

export function isEventMessage(data: unknown): data is EventMessage {
  return (
    hasHeader(data, 'event') &&
    isPlainObject(data.event) &&
    typeof data.event.type === 'string' &&
    data.event.type.length > 0
  );
}

/** What the SDK accepts from the dialer. */
export function isDialerToSdkMessage(data: unknown): data is ReadyMessage | ResponseMessage | EventMessage {
  return isReadyMessage(data) || isResponseMessage(data) || isEventMessage(data);
}

export function isEnvelope(data: unknown): data is Envelope {
  return isDialerToSdkMessage(data) || isRequestMessage(data);
}

export function createReadyMessage(): ReadyMessage {
  return { ns: PROTOCOL_NAMESPACE, v: PROTOCOL_VERSION, kind: 'ready' };
}

export function createRequestMessage<M extends MethodName>(
  id: string,
  method: M,
  params: MethodParams<M>,
): RequestMessage<M> {
  return { ns: PROTOCOL_NAMESPACE, v: PROTOCOL_VERSION, kind: 'request', id, method, params } as RequestMessage<M>;
}

export function createSuccessResponse<M extends MethodName>(
  id: string,
  result: MethodResult<M>,
): SuccessResponseMessage<MethodResult<M>> {
  return { ns: PROTOCOL_NAMESPACE, v: PROTOCOL_VERSION, kind: 'response', id, ok: true, result };
}

export function createErrorResponse(id: string, error: WireError): ErrorResponseMessage {
  return {
    ns: PROTOCOL_NAMESPACE,
    v: PROTOCOL_VERSION,
    kind: 'response',
    id,
    ok: false,
    error: { name: error.name, message: error.message },
  };
}

export function createEventMessage<E extends DialerEvent>(event: E): EventMessage<E> {
  return { ns: PROTOCOL_NAMESPACE, v: PROTOCOL_VERSION, kind: 'event', event };
}

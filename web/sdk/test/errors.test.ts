import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ERROR_NAMES } from '@opendialer/protocol';
import Net2PhoneDialer, * as api from '../src/index';
import { rebuildError } from '../src/errors';

const { errors } = Net2PhoneDialer;

describe('Net2PhoneDialer.errors', () => {
  it('holds exactly the error classes of the protocol, also exported by name', () => {
    expect(Object.keys(errors).sort()).toEqual([...ERROR_NAMES].sort());
    for (const [name, ErrorClass] of Object.entries(errors)) {
      expect(api[name as keyof typeof errors]).toBe(ErrorClass);
    }
  });

  it.each(Object.keys(errors))('rebuilds %s from { name, message } as the same class', (name) => {
    const ErrorClass = errors[name as keyof typeof errors];
    const error = rebuildError({ name, message: `a ${name}` });
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toBeInstanceOf(errors.Net2PhoneDialerError);
    expect(error).toBeInstanceOf(Error);
    expect(error.constructor).toBe(ErrorClass);
    expect(error.name).toBe(name);
    expect(error.message).toBe(`a ${name}`);
    expect(String(error)).toBe(`${name}: a ${name}`);
  });

  it('rebuilds unknown and inherited names as Net2PhoneDialerError', () => {
    for (const name of ['RangeError', 'toString', '__proto__', '']) {
      const error = rebuildError({ name, message: 'm' });
      expect(error.constructor).toBe(errors.Net2PhoneDialerError);
      expect(error.name).toBe('Net2PhoneDialerError');
      expect(error.message).toBe('m');
    }
  });

  it('keeps subclasses apart', () => {
    const error = new errors.AuthenticationError('x');
    expect(error).not.toBeInstanceOf(errors.InvalidPhoneNumberError);
  });

  it('keeps instanceof and name when compiled to ES5', () => {
    const source = readFileSync(join(__dirname, '..', 'src', 'errors.ts'), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { target: ts.ScriptTarget.ES5, module: ts.ModuleKind.CommonJS },
    });
    const exports: Record<string, new (message: string) => Error> = {};
    new Function('exports', outputText)(exports);
    const error = new exports.InvalidPhoneNumberError!('bad number');
    expect(error instanceof exports.InvalidPhoneNumberError!).toBe(true);
    expect(error instanceof exports.Net2PhoneDialerError!).toBe(true);
    expect(error.name).toBe('InvalidPhoneNumberError');
    expect(error.message).toBe('bad number');
  });
});

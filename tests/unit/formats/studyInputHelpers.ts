import { expect } from 'vitest';
import { StudyInputError } from '../../../src/engine/studyInputError';

/** Runs `f`, expects a StudyInputError, and returns it for checks of its fields and message. */
export function inputError(f: () => unknown): StudyInputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(StudyInputError);
    return e as StudyInputError;
  }
  throw new Error('expected a StudyInputError, nothing was thrown');
}

/** UTF-8 bytes of a test string (TextEncoder: the tests run in Node). */
export const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);

import { IRAN_ERROR_CODES, IranValidationError, isIranValidationError } from './errors';

describe('IranValidationError', () => {
  it('carries a stable code, message and details', () => {
    const e = new IranValidationError('BILL_AMOUNT_NOT_THOUSANDS', 'bad amount', { amount: '1500' });
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(IranValidationError);
    expect(e.name).toBe('IranValidationError');
    expect(e.code).toBe('BILL_AMOUNT_NOT_THOUSANDS');
    expect(e.message).toBe('bad amount');
    expect(e.details).toEqual({ amount: '1500' });
    expect(isIranValidationError(e)).toBe(true);
    expect(isIranValidationError(new Error('x'))).toBe(false);
  });

  it('has unique, UPPER_SNAKE codes', () => {
    expect(new Set(IRAN_ERROR_CODES).size).toBe(IRAN_ERROR_CODES.length);
    for (const code of IRAN_ERROR_CODES) expect(code).toMatch(/^[A-Z]+(?:_[A-Z]+)*$/);
  });
});

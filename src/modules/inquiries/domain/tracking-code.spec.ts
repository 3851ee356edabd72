import { generateTrackingCode, isValidTrackingCode, verhoeffDigit } from './tracking-code';

describe('tracking codes', () => {
  it('computes known Verhoeff check digits', () => {
    expect(verhoeffDigit('236')).toBe(3);
    expect(verhoeffDigit('12345')).toBe(1);
  });

  it('generates valid, distinct 12-digit codes without a leading zero', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const code = generateTrackingCode();
      expect(code).toMatch(/^[1-9]\d{11}$/);
      expect(isValidTrackingCode(code)).toBe(true);
      seen.add(code);
    }
    expect(seen.size).toBe(2000);
  });

  it('catches every single-digit typo and every adjacent swap', () => {
    for (let n = 0; n < 200; n++) {
      const code = generateTrackingCode();
      for (let i = 0; i < code.length; i++) {
        for (let d = 0; d <= 9; d++) {
          if (String(d) === code[i]) continue;
          expect(isValidTrackingCode(code.slice(0, i) + d + code.slice(i + 1))).toBe(false);
        }
        if (i < code.length - 1 && code[i] !== code[i + 1]) {
          expect(isValidTrackingCode(code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2))).toBe(false);
        }
      }
    }
  });
});

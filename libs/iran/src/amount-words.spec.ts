import { amountToPersianWords, formatRials, formatRialsFa } from './amount-words';
import { IranValidationError } from './errors';

function expectCode(fn: () => unknown, code: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(IranValidationError);
  expect((caught as IranValidationError).code).toBe(code);
}

describe('amountToPersianWords', () => {
  it.each<[bigint | number, string]>([
    [0, 'صفر'],
    [1, 'یک'],
    [2, 'دو'],
    [3, 'سه'],
    [4, 'چهار'],
    [5, 'پنج'],
    [6, 'شش'],
    [7, 'هفت'],
    [8, 'هشت'],
    [9, 'نه'],
    [10, 'ده'],
    [11, 'یازده'],
    [12, 'دوازده'],
    [13, 'سیزده'],
    [14, 'چهارده'],
    [15, 'پانزده'],
    [16, 'شانزده'],
    [17, 'هفده'],
    [18, 'هجده'],
    [19, 'نوزده'],
    [20, 'بیست'],
    [21, 'بیست و یک'],
    [30, 'سی'],
    [40, 'چهل'],
    [55, 'پنجاه و پنج'],
    [60, 'شصت'],
    [70, 'هفتاد'],
    [80, 'هشتاد'],
    [99, 'نود و نه'],
    [100, 'صد'],
    [101, 'صد و یک'],
    [110, 'صد و ده'],
    [200, 'دویست'],
    [300, 'سیصد'],
    [400, 'چهارصد'],
    [500, 'پانصد'],
    [600, 'ششصد'],
    [700, 'هفتصد'],
    [800, 'هشتصد'],
    [900, 'نهصد'],
    [999, 'نهصد و نود و نه'],
    [1000, 'یک هزار'],
    [1001, 'یک هزار و یک'],
    [1100, 'یک هزار و صد'],
    [2019, 'دو هزار و نوزده'],
    [10_000, 'ده هزار'],
    [100_000, 'صد هزار'],
    [250_000, 'دویست و پنجاه هزار'],
    [1_000_000, 'یک میلیون'],
    [1_250_000, 'یک میلیون و دویست و پنجاه هزار'],
    [1_000_001, 'یک میلیون و یک'],
    [17_000, 'هفده هزار'],
    [1_000_000_000, 'یک میلیارد'],
    [3_005_000_700, 'سه میلیارد و پنج میلیون و هفتصد'],
    [1_000_000_000_000n, 'یک هزار میلیارد'],
    [2_500_000_000_000n, 'دو هزار و پانصد میلیارد'],
    [1_000_000_000_005n, 'یک هزار میلیارد و پنج'],
    [
      999_999_999_999_999n,
      'نهصد و نود و نه هزار و نهصد و نود و نه میلیارد و نهصد و نود و نه میلیون و نهصد و نود و نه هزار و نهصد و نود و نه',
    ],
    [12_345_678_901n, 'دوازده میلیارد و سیصد و چهل و پنج میلیون و ششصد و هفتاد و هشت هزار و نهصد و یک'],
  ])('%s → %s', (n, words) => {
    expect(amountToPersianWords(n)).toBe(words);
  });

  it('gives the same words for number and bigint', () => {
    expect(amountToPersianWords(123_456_789)).toBe(amountToPersianWords(123_456_789n));
  });

  it('rejects negatives, non-integers and out-of-range values', () => {
    expectCode(() => amountToPersianWords(-1), 'AMOUNT_NEGATIVE');
    expectCode(() => amountToPersianWords(-1n), 'AMOUNT_NEGATIVE');
    expectCode(() => amountToPersianWords(1.5), 'AMOUNT_NOT_INTEGER');
    expectCode(() => amountToPersianWords(Number.NaN), 'AMOUNT_NOT_INTEGER');
    expectCode(() => amountToPersianWords('12' as unknown as number), 'AMOUNT_NOT_INTEGER');
    expectCode(() => amountToPersianWords(1_000_000_000_000_000n), 'AMOUNT_OUT_OF_RANGE');
    expectCode(() => amountToPersianWords(2 ** 60), 'AMOUNT_OUT_OF_RANGE');
  });
});

describe('formatRials / formatRialsFa', () => {
  it.each<[bigint | number, string, string]>([
    [0, '0', '۰'],
    [999, '999', '۹۹۹'],
    [1000, '1,000', '۱٬۰۰۰'],
    [1_250_000, '1,250,000', '۱٬۲۵۰٬۰۰۰'],
    [12_345_678_901n, '12,345,678,901', '۱۲٬۳۴۵٬۶۷۸٬۹۰۱'],
    [10n ** 20n, '100,000,000,000,000,000,000', '۱۰۰٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰'],
  ])('%s → %s / %s', (n, en, fa) => {
    expect(formatRials(n)).toBe(en);
    expect(formatRialsFa(n)).toBe(fa);
  });

  it('uses U+066C as the Persian separator', () => {
    expect(formatRialsFa(1000)).toBe('\u06F1\u066C\u06F0\u06F0\u06F0');
  });

  it('rejects negatives and non-integers', () => {
    expectCode(() => formatRials(-1000), 'AMOUNT_NEGATIVE');
    expectCode(() => formatRialsFa(-1n), 'AMOUNT_NEGATIVE');
    expectCode(() => formatRials(10.5), 'AMOUNT_NOT_INTEGER');
    expectCode(() => formatRials(2 ** 60), 'AMOUNT_OUT_OF_RANGE');
  });
});

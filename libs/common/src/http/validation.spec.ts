import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { createValidationPipe } from './validation';
import { DomainError } from '../errors/domain-error';
import { IsCalendarDay } from '../validation/iran-validators';

class Query {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3)
  region?: number;
}

class Base {
  @IsString()
  @MinLength(2)
  name!: string;
}

class Derived extends Base {
  @IsInt()
  count!: number;
}

describe('the validation pipe (with the rules of each class memoized)', () => {
  const pipe = createValidationPipe();
  const run = (value: unknown, metatype: new () => unknown) => pipe.transform(value, { type: 'body', metatype });
  const fields = async (value: unknown, metatype: new () => unknown) => {
    try {
      await run(value, metatype);
      return [];
    } catch (err) {
      return (err as DomainError).fieldErrors?.map((f) => `${f.field}:${f.code}`);
    }
  };

  it('applies the same rules on every call, inherited ones included', async () => {
    for (let i = 0; i < 3; i++) {
      expect(await fields({ region: 4 }, Query)).toEqual(['region:max']);
      expect(await fields({ region: 2, colour: 'red' }, Query)).toEqual(['colour:whitelistValidation']);
      expect(await fields({ name: 'a', count: 'x' }, Derived)).toEqual(expect.arrayContaining(['name:minLength', 'count:isInt']));
      expect(await fields({ name: 'ab' }, Base)).toEqual([]);
      await expect(run({ region: 2 }, Query)).resolves.toEqual({ region: 2 });
    }
  });

  it('sees a rule added to a class after it was first validated', async () => {
    class Late {
      @IsString()
      name!: string;
    }
    expect(await fields({ name: 'ab' }, Late)).toEqual([]);
    IsInt()(Late.prototype, 'count');
    expect(await fields({ name: 'ab' }, Late)).toEqual(['count:isInt']);
  });

  it('refuses null for a property that may only be left out, nested ones too; takes it where the DTO says so', async () => {
    class Item {
      @IsOptional()
      @IsString()
      label?: string;
    }
    class Patch {
      @IsOptional()
      @IsInt()
      amount?: number;

      @ValidateIf((o: Patch) => o.note !== undefined && o.note !== null)
      @IsString()
      note?: string | null;

      @IsOptional()
      @ValidateNested({ each: true })
      @Type(() => Item)
      items?: Item[];
    }
    expect(await fields({ amount: null }, Patch)).toEqual(['amount:isNotNull']);
    expect(await fields({ items: [{ label: 'a' }, { label: null }] }, Patch)).toEqual(['items.1.label:isNotNull']);
    expect(await fields({ note: null }, Patch)).toEqual([]);
    expect(await fields({}, Patch)).toEqual([]);
    expect(await fields({ amount: 'x' }, Patch)).toEqual(['amount:isInt']);
  });

  it('reports one error per field: the first failed rule, type before length, the DTO order otherwise', async () => {
    class Login {
      @IsString()
      @MinLength(3)
      @MaxLength(64)
      username!: string;

      @Matches(/^[a-z]+$/)
      @MinLength(5)
      code!: string;

      @IsOptional()
      @IsString()
      @MinLength(2)
      @MaxLength(10)
      note?: string;
    }
    // absent: isString, minLength and maxLength all fail; only isString is told
    expect(await fields({ code: 'abcdef' }, Login)).toEqual(['username:isString']);
    expect(await fields({ username: 42, code: 'abcdef' }, Login)).toEqual(['username:isString']);
    // two rules of the same rank: the one written first in the DTO
    expect(await fields({ username: 'abc', code: 'B1' }, Login)).toEqual(['code:matches']);
    // an optional field left out: nothing; sent wrong: one error
    expect(await fields({ username: 'abc', code: 'abcdef' }, Login)).toEqual([]);
    expect(await fields({ username: 'abc', code: 'abcdef', note: 7 }, Login)).toEqual(['note:isString']);
    expect(await fields({ username: 'abc', code: 'abcdef', note: 'x' }, Login)).toEqual(['note:minLength']);
  });

  it('takes a typed day in either calendar and hands the DTO the form it stores, one error naming the forms otherwise', async () => {
    class Dated {
      @IsCalendarDay()
      day!: string;

      @IsOptional()
      @IsCalendarDay({ as: 'jalali' })
      letterDate?: string;
    }
    for (const typed of ['1404/08/20', '1404-08-20', '1404/8/20', '۱۴۰۴/۰۸/۲۰', '\u200f1404/08/20', '2025-11-11']) {
      await expect(run({ day: typed, letterDate: typed }, Dated)).resolves.toEqual({ day: '2025-11-11', letterDate: '1404/08/20' });
    }
    await expect(run({ day: '1403-12-30' }, Dated)).resolves.toEqual({ day: '2025-03-20' }); // a leap year's last day
    for (const bad of ['1404/13/01', '1403/12/31', '2025-02-29', '2025/11/11', '11/11/2025', '1199/01/01', '1899-12-31', '2300-01-01', 'فردا', '', 20251111, ['2025-11-11']]) {
      expect([bad, await fields({ day: bad, letterDate: bad }, Dated)]).toEqual([bad, ['day:isCalendarDay', 'letterDate:isCalendarDay']]);
    }
    expect(await fields({}, Dated)).toEqual(['day:isCalendarDay']);
    try {
      await run({ day: '2025-13-01' }, Dated);
      throw new Error('accepted');
    } catch (err) {
      expect((err as DomainError).fieldErrors).toEqual([
        {
          field: 'day',
          code: 'isCalendarDay',
          message: {
            fa: expect.stringMatching(/شمسی.*۱۴۰۵\/۰۹\/۱۵.*میلادی.*2026-12-06/),
            en: expect.stringMatching(/^day must be a date: Jalali YYYY\/MM\/DD such as 1405\/09\/15 .*Gregorian YYYY-MM-DD such as 2026-12-06$/),
          },
        },
      ]);
    }
  });
});

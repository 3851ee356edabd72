import 'reflect-metadata';
import { ArgumentMetadata } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsEnum, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { IsIranMobile } from '../validation/iran-validators';
import { MaxChars, MaxItems } from '../validation/bounds';
import { compileQueryChecker, withFastQueryChecks } from './fast-validation';
import { createValidationPipe } from './validation';

enum Kind {
  Office = 'office',
  Notary = 'notary',
}

class LookupQuery {
  @IsOptional() @IsString() @MaxLength(12) code?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(9) region?: number;
  @IsOptional() @Matches(/^[A-Z0-9-]{3,8}$/) guild?: string;
  @IsOptional() @IsIn(['asc', 'desc']) order?: string;
  @IsOptional() @IsEnum(Kind) kind?: Kind;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit: number = 20;
  @IsOptional() @Type(() => Number) @IsNumber() @Min(-90) @Max(90) lat?: number;
}

class UnsupportedNumberOptions {
  @Type(() => Number) @IsNumber({ maxDecimalPlaces: 2 }) n!: number;
}

class UndeclaredDefault {
  @IsOptional() @IsString() q?: string;
  page = 1;
}

class InvalidDefault {
  @IsOptional() @Type(() => Number) @IsInt() @Min(5) size: number = 1;
}

class RequiredQuery {
  @IsString() @MaxLength(4) q!: string;
}

class UnsupportedMinLength {
  @IsString() @MinLength(2) q!: string;
}

class BoundedQuery {
  @IsOptional() @IsString() @MaxChars(5) code?: string;
}

class UnsupportedArrayBound {
  @IsOptional() @IsString({ each: true }) @MaxItems(3) codes?: string[];
}

class UnsupportedIranValidator {
  @IsOptional() @IsString() @IsIranMobile() mobile?: string;
}

class Nested {
  @IsString() a!: string;
}
class UnsupportedNested {
  @ValidateNested() @Type(() => Nested) n!: Nested;
}

const pipe = createValidationPipe();
const meta = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'query', metatype });

/** What the full pipe answers: the instance, or the error's code and fields. */
async function viaPipe(metatype: ArgumentMetadata['metatype'], input: unknown): Promise<unknown> {
  try {
    return await pipe.transform(input, meta(metatype));
  } catch (err) {
    return { error: (err as { code?: string }).code ?? String(err) };
  }
}

const values = [undefined, 'Infinity', 'NaN', '36.2705', '-90', '90.5', '1e400', '', ' ', '1', '5', '9', '10', '0', '-1', '1.5', '1e0', ' 5 ', '0x5', 'abc', 'ABC-12', 'AB', 'abcdefghijklm', 'asc', 'desc', 'office', 'notary', 'Office', '۵', ['1', '2']];

describe('compileQueryChecker', () => {
  it('answers exactly what the validation pipe answers, whenever it answers', async () => {
    const check = compileQueryChecker(LookupQuery)!;
    expect(check).toBeDefined();
    let answered = 0;
    let inputs = 0;
    for (const field of ['code', 'region', 'guild', 'order', 'kind', 'limit', 'lat']) {
      for (const value of values) {
        for (const extra of [{}, { code: 'x' }, { region: '3' }, { unknown: '1' }]) {
          const input: Record<string, unknown> = { ...extra, [field]: value };
          if (value === undefined) delete input[field];
          inputs++;
          const fast = check(input);
          const full = await viaPipe(LookupQuery, input);
          if (fast === undefined) continue;
          answered++;
          // the input rides along so that a difference names it
          expect(fast).toBeInstanceOf(LookupQuery);
          expect({ input, type: (full as object).constructor, answer: { ...(full as object) } }).toEqual({ input, type: LookupQuery, answer: { ...fast } });
        }
      }
    }
    // it does vouch for the ordinary lookups (otherwise it would be no use)
    expect(answered).toBeGreaterThan(inputs / 5);
    expect(check({ code: '1-2-3', region: '2' })).toEqual(Object.assign(new LookupQuery(), { code: '1-2-3', region: 2 }));
    expect(check({})).toEqual(new LookupQuery());
  });

  it('leaves to the pipe whatever it cannot vouch for: unknown fields, arrays, failures, missing required fields', async () => {
    const check = compileQueryChecker(LookupQuery)!;
    expect(check({ unknown: '1' })).toBeUndefined();
    expect(check({ region: ['1', '2'] })).toBeUndefined();
    expect(check({ region: '0' })).toBeUndefined();
    expect(check({ code: 'abcdefghijklm' })).toBeUndefined();
    expect(await viaPipe(LookupQuery, { region: '0' })).toEqual({ error: 'VALIDATION_FAILED' });
    const required = compileQueryChecker(RequiredQuery)!;
    expect(required({})).toBeUndefined();
    expect(required({ q: 'abcd' })).toEqual(Object.assign(new RequiredQuery(), { q: 'abcd' }));
    expect(await viaPipe(RequiredQuery, {})).toEqual({ error: 'VALIDATION_FAILED' });
  });

  it('knows the bound helpers that compile to its rules (MaxChars is @MaxLength)', async () => {
    const check = compileQueryChecker(BoundedQuery)!;
    expect(check).toBeDefined();
    expect(check({ code: 'abcde' })).toEqual(await viaPipe(BoundedQuery, { code: 'abcde' }));
    expect(check({ code: 'abcdef' })).toBeUndefined();
    expect(await viaPipe(BoundedQuery, { code: 'abcdef' })).toEqual({ error: 'VALIDATION_FAILED' });
  });

  it('is not built for classes with rules it does not know (the pipe always runs for them)', () => {
    expect(compileQueryChecker(UnsupportedArrayBound)).toBeUndefined();
    expect(compileQueryChecker(UnsupportedIranValidator)).toBeUndefined();
    expect(compileQueryChecker(UnsupportedMinLength)).toBeUndefined();
    expect(compileQueryChecker(UnsupportedNested)).toBeUndefined();
    expect(compileQueryChecker(class Plain {})).toBeUndefined();
    expect(compileQueryChecker(UndeclaredDefault)).toBeUndefined();
    expect(compileQueryChecker(UnsupportedNumberOptions)).toBeUndefined();
  });

  it('validates field defaults as the pipe does', async () => {
    const check = compileQueryChecker(InvalidDefault)!;
    expect(check({})).toBeUndefined();
    expect(await viaPipe(InvalidDefault, {})).toEqual({ error: 'VALIDATION_FAILED' });
    expect(check({ size: '6' })).toEqual(Object.assign(new InvalidDefault(), { size: 6 }));
  });
});

describe('withFastQueryChecks', () => {
  it('answers a vouched-for query itself and sends everything else, errors included, to the pipe', async () => {
    const calls: unknown[] = [];
    const counting = {
      transform: (value: unknown, metadata: ArgumentMetadata) => {
        calls.push(value);
        return pipe.transform(value, metadata);
      },
    };
    const fast = withFastQueryChecks(counting);
    await expect(Promise.resolve(fast.transform({ code: 'abc', region: '4' }, meta(LookupQuery)))).resolves.toEqual(
      Object.assign(new LookupQuery(), { code: 'abc', region: 4 }),
    );
    expect(calls).toHaveLength(0);
    await expect(Promise.resolve(fast.transform({ region: 'x' }, meta(LookupQuery)))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(Promise.resolve(fast.transform('abc', { type: 'param', data: 'code', metatype: String }))).resolves.toBe('abc');
    expect(calls).toEqual([{ region: 'x' }, 'abc']);
  });
});

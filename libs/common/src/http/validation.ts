import { ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage, IS_OPTIONAL, ValidatorOptions } from 'class-validator';
import { CommonErrors } from '../errors/common.errors';
import { FieldError } from '../errors/domain-error';
import { CALENDAR_DAY_FORMATS } from '../validation/iran-validators';

/** Persian wording for class-validator constraints; English comes from class-validator. */
const FA: Record<string, string> = {
  isNotEmpty: 'این فیلد نباید خالی باشد.',
  isDefined: 'این فیلد الزامی است.',
  isString: 'این فیلد باید متن باشد.',
  isInt: 'این فیلد باید عدد صحیح باشد.',
  isNumber: 'این فیلد باید عدد باشد.',
  isNumberString: 'این فیلد باید فقط رقم داشته باشد.',
  isBoolean: 'این فیلد باید درست یا نادرست (true/false) باشد.',
  isEnum: 'مقدار این فیلد از گزینه‌های مجاز نیست.',
  isIn: 'مقدار این فیلد از گزینه‌های مجاز نیست.',
  min: 'مقدار این فیلد کمتر از حد مجاز است.',
  max: 'مقدار این فیلد بیشتر از حد مجاز است.',
  minLength: 'طول این فیلد کمتر از حد مجاز است.',
  maxLength: 'طول این فیلد بیشتر از حد مجاز است.',
  length: 'طول این فیلد مجاز نیست.',
  matches: 'قالب این فیلد درست نیست.',
  isEmail: 'نشانی ایمیل معتبر نیست.',
  isUrl: 'نشانی اینترنتی معتبر نیست.',
  isUUID: 'شناسه معتبر نیست.',
  isDateString: 'تاریخ معتبر نیست.',
  isISO8601: 'تاریخ معتبر نیست.',
  isArray: 'این فیلد باید فهرست باشد.',
  arrayNotEmpty: 'این فهرست نباید خالی باشد.',
  arrayMaxSize: 'تعداد اقلام این فهرست بیش از حد مجاز است.',
  arrayMinSize: 'تعداد اقلام این فهرست کمتر از حد مجاز است.',
  isObject: 'این فیلد باید شیء باشد.',
  whitelistValidation: 'این فیلد در این درخواست پذیرفته نیست.',
  nestedValidation: 'این فیلد معتبر نیست.',
  isNationalId: 'کد ملی معتبر نیست (۱۰ رقم با رقم کنترل درست).',
  isLegalId: 'شناسه ملی اشخاص حقوقی معتبر نیست (۱۱ رقم).',
  isIranMobile: 'شماره همراه معتبر نیست؛ مانند ۰۹۱۲۱۲۳۴۵۶۷.',
  isNotNull: 'این فیلد نمی‌تواند null باشد؛ اگر مقداری ندارد، آن را نفرستید.',
  isCalendarDay: `تاریخ معتبر نیست؛ ${CALENDAR_DAY_FORMATS.fa} وارد کنید.`,
  isIsoDateTime: 'تاریخ معتبر نیست؛ مانند 2026-11-25T08:30:00Z (سال ۱۹۰۰ تا ۲۲۹۹).',
};

/** One field error worded as the validation pipe words it (`code` is the class-validator constraint). */
export function fieldError(field: string, code: string, en: string): FieldError {
  return { field, code, message: { fa: FA[code] ?? 'مقدار این فیلد معتبر نیست.', en } };
}

/**
 * Which of a field's failed constraints is reported, first to last: the field should not be
 * there, is null, is missing, has the wrong type, is empty; then every other rule in the
 * order the DTO declares them. A missing text field fails `isString`, `minLength` and
 * `maxLength` at once; the person needs to hear only the first.
 */
const FIRST_CONSTRAINTS = [
  'whitelistValidation',
  'isNotNull',
  'isDefined',
  'isString',
  'isInt',
  'isNumber',
  'isNumberString',
  'isBoolean',
  'isArray',
  'isObject',
  'isNotEmpty',
  'arrayNotEmpty',
];

function firstConstraint(constraints: Record<string, string>): [string, string] | undefined {
  const entries = Object.entries(constraints);
  const rank = (code: string) => {
    const i = FIRST_CONSTRAINTS.indexOf(code);
    return i < 0 ? FIRST_CONSTRAINTS.length : i;
  };
  // class-validator lists a property's constraints bottom decorator first: reversed, the DTO's order
  return entries.reverse().reduce<[string, string] | undefined>((best, e) => (!best || rank(e[0]) < rank(best[0]) ? e : best), undefined);
}

/** One error per field (its first failed constraint, see FIRST_CONSTRAINTS), nested fields as `parent.child`. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const first = firstConstraint(error.constraints ?? {});
    if (first) out.push(fieldError(field, first[0], first[1]));
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/**
 * class-validator 0.14 works out a class's rules on every validation by walking every
 * validated class of the application (an `instanceof` test each): with this API's DTOs
 * that was the largest part of validating a small query. The answer depends only on the
 * class and the options, and rules are only added while classes load, so it is kept until
 * one is added.
 */
export function memoizeValidationRules(): void {
  type Storage = ReturnType<typeof getMetadataStorage> & { __memoized?: true };
  const storage = getMetadataStorage() as Storage;
  if (storage.__memoized) return;
  storage.__memoized = true;
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  let cache = new Map<unknown, Map<string, ReturnType<typeof lookup>>>();
  storage.addValidationMetadata = (metadata) => {
    cache = new Map();
    add(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}|${always}|${strictGroups}|${groups?.join(',') ?? ''}`;
    let byClass = cache.get(target);
    if (!byClass) cache.set(target, (byClass = new Map()));
    let rules = byClass.get(key);
    if (!rules) byClass.set(key, (rules = lookup(target, schema, always, strictGroups, groups)));
    return rules;
  };
}

/**
 * `@IsOptional()` means "may be left out", and class-validator lets `null` through it as
 * well; services then read a `null` they were never meant to get (`BigInt(null)`, a NOT NULL
 * column). So a `null` for an `@IsOptional()` property is refused (`isNotNull`). A property
 * that takes `null` on purpose says so with `@ValidateIf((o) => o.x !== undefined && o.x !== null)`
 * (see UpdatePropertyDto), as the DTOs already do.
 */
class NullRefusingValidationPipe extends ValidationPipe {
  protected override async validate(object: object, options?: ValidatorOptions): Promise<ValidationError[]> {
    const errors = await super.validate(object, options);
    return [...errors, ...nullsForOptional(object, errors)];
  }
}

function nullsForOptional(root: object, existing: ValidationError[]): ValidationError[] {
  const out: ValidationError[] = [];
  const reported = new Set(existing.map((e) => e.property));
  const stack: Array<{ value: object; path: string }> = [{ value: root, path: '' }];
  while (stack.length) {
    const { value, path } = stack.pop()!;
    const rules = getMetadataStorage().getTargetValidationMetadatas(value.constructor, '', true, false);
    const optional = new Set(rules.filter((r) => r.name === IS_OPTIONAL).map((r) => r.propertyName));
    for (const [key, v] of Object.entries(value)) {
      const field = path ? `${path}.${key}` : key;
      if (v === null && optional.has(key) && !reported.has(field)) {
        out.push({ property: field, value: null, constraints: { isNotNull: `${field} must not be null; leave it out instead` }, children: [] });
      } else if (v && typeof v === 'object') {
        const items: unknown[] = Array.isArray(v) ? v : [v];
        items.forEach((item, i) => {
          // nested DTO instances (plain objects carry no rules)
          if (item && typeof item === 'object' && Object.getPrototypeOf(item) !== Object.prototype) {
            stack.push({ value: item, path: Array.isArray(v) ? `${field}.${i}` : field });
          }
        });
      }
    }
  }
  return out;
}

/** The one validation pipe: whitelist, reject unknown fields, `null` only where a DTO takes it, coded problem errors. */
export function createValidationPipe(): ValidationPipe {
  memoizeValidationRules();
  return new NullRefusingValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) =>
      CommonErrors.VALIDATION_FAILED({ fieldErrors: flattenValidationErrors(errors) }),
  });
}

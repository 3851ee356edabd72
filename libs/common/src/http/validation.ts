import { ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { CommonErrors } from '../errors/common.errors';
import { FieldError } from '../errors/domain-error';

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
  isJalaliDate: 'تاریخ شمسی معتبر نیست؛ مانند ۱۳۷۰/۰۶/۳۱.',
};

/** One field error worded as the validation pipe words it (`code` is the class-validator constraint). */
export function fieldError(field: string, code: string, en: string): FieldError {
  return { field, code, message: { fa: FA[code] ?? 'مقدار این فیلد معتبر نیست.', en } };
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    for (const [code, en] of Object.entries(error.constraints ?? {})) out.push(fieldError(field, code, en));
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

/** The one validation pipe: whitelist, reject unknown fields, coded problem errors. */
export function createValidationPipe(): ValidationPipe {
  memoizeValidationRules();
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) =>
      CommonErrors.VALIDATION_FAILED({ fieldErrors: flattenValidationErrors(errors) }),
  });
}

import { ValidationError, ValidationPipe } from '@nestjs/common';
import { CommonErrors } from '../errors/common.errors';
import { FieldError, LocalizedText } from '../errors/domain-error';

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

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    for (const [code, en] of Object.entries(error.constraints ?? {})) {
      const message: LocalizedText = {
        fa: FA[code] ?? 'مقدار این فیلد معتبر نیست.',
        en,
      };
      out.push({ field, code, message });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/** The one validation pipe: whitelist, reject unknown fields, coded problem errors. */
export function createValidationPipe(): ValidationPipe {
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

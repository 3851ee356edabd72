import { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { TransformationType } from 'class-transformer';
import { getMetadataStorage } from 'class-validator';

// class-transformer's metadata store (its typings live under types/, the code under cjs/)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');

type Check = (value: unknown) => boolean;
type Converted = Record<string, unknown>;
/** Answers the DTO for an input it can vouch for, `undefined` for any other (the full pipe then decides). */
export type QueryChecker = (input: unknown) => object | undefined;

/**
 * class-validator's own tests for the constraints it understands, written as class-validator
 * 0.14 writes them, so that "valid" here means valid there. Anything else makes the class
 * unsupported.
 */
const CHECKS: Record<string, (constraints: unknown[]) => Check | undefined> = {
  isString: () => (v) => typeof v === 'string' || v instanceof String,
  // class-validator counts a surrogate pair as one character: never more than `length`, so
  // `length <= max` can only be valid there too (a longer string goes to the full pipe)
  maxLength: ([max]) => (typeof max === 'number' ? (v) => typeof v === 'string' && v.length <= max : undefined),
  matches: ([pattern, modifiers]) => {
    const re = pattern instanceof RegExp ? pattern : typeof pattern === 'string' ? new RegExp(pattern, modifiers as string | undefined) : undefined;
    return re ? (v) => typeof v === 'string' && !!v.match(re) : undefined;
  },
  isInt: () => (v) => typeof v === 'number' && Number.isInteger(v),
  // without options: a finite number (no NaN, no infinities)
  isNumber: ([options]) =>
    !options || (typeof options === 'object' && !Object.keys(options).length) ? (v) => typeof v === 'number' && Number.isFinite(v) : undefined,
  min: ([min]) => (typeof min === 'number' ? (v) => typeof v === 'number' && v >= min : undefined),
  max: ([max]) => (typeof max === 'number' ? (v) => typeof v === 'number' && v <= max : undefined),
  isIn: ([allowed]) => (Array.isArray(allowed) ? (v) => allowed.some((a) => a === v) : undefined),
  isEnum: ([entity]) => {
    if (!entity || typeof entity !== 'object') return undefined;
    const values = Object.keys(entity).map((k) => (entity as Record<string, unknown>)[k]);
    return (v) => values.indexOf(v) >= 0;
  },
};

interface Property {
  name: string;
  optional: boolean;
  toNumber: boolean;
  checks: Check[];
}

/**
 * A fast, conservative stand-in for the validation pipe on a query DTO of simple fields
 * (`@IsOptional`, `@IsString`, `@MaxLength`, `@Matches`, `@IsInt`, `@IsNumber`, `@Min`, `@Max`,
 * `@IsIn`, `@IsEnum`, and `@Type(() => Number)`), built from the class's own decorators: when every
 * field of the input is a declared one holding a single string that passes every rule, it
 * answers the DTO instance the pipe would (a `new` instance, field defaults validated too,
 * numbers converted with `Number()` as class-transformer does); for anything else it answers `undefined`, and the
 * pipe runs and words the errors. Returns undefined for a class with any other decorator
 * (nested objects, arrays, groups, custom transforms): that class always takes the pipe.
 *
 * Measured on the debt lookup (server CPU per request, same run, alternating): validating
 * with the pipe costs ~0.03 ms of ~0.2 ms.
 */
export function compileQueryChecker(metatype: new () => object): QueryChecker | undefined {
  const rules = getMetadataStorage().getTargetValidationMetadatas(metatype, '', true, false);
  if (!rules.length) return undefined;
  if (defaultMetadataStorage.getStrategy(metatype) !== 'none') return undefined;
  if (defaultMetadataStorage.getExposedMetadatas(metatype).length || defaultMetadataStorage.getExcludedMetadatas(metatype).length) return undefined;
  const byName = new Map<string, Property>();
  for (const rule of rules) {
    if (rule.each || rule.always || rule.groups?.length || rule.context) return undefined;
    let p = byName.get(rule.propertyName);
    if (!p) {
      const type = defaultMetadataStorage.findTypeMetadata(metatype, rule.propertyName);
      if (type && type.typeFunction() !== Number) return undefined;
      if (defaultMetadataStorage.findTransformMetadatas(metatype, rule.propertyName, TransformationType.PLAIN_TO_CLASS).length) return undefined;
      byName.set(rule.propertyName, (p = { name: rule.propertyName, optional: false, toNumber: Boolean(type), checks: [] }));
    }
    if (rule.type === 'conditionalValidation' && rule.name === 'isOptional') {
      p.optional = true;
      continue;
    }
    if (rule.type !== 'customValidation' || !rule.constraintCls) return undefined;
    const constraintNames = getMetadataStorage()
      .getTargetValidatorConstraints(rule.constraintCls)
      .map((c) => c.name);
    const make = constraintNames.length === 1 ? CHECKS[constraintNames[0]] : undefined;
    const check = make?.(rule.constraints ?? []);
    if (!check) return undefined;
    p.checks.push(check);
  }
  // the pipe validates the instance, field defaults included, and refuses undeclared fields
  // (whitelist): a default of an undeclared field would fail every request there
  const probe = new metatype() as Record<string, unknown>;
  if (Object.keys(probe).some((key) => !byName.has(key))) return undefined;
  const properties = [...byName.values()];
  return (input) => {
    if (!input || typeof input !== 'object' || Array.isArray(input)) return undefined;
    const given = input as Record<string, unknown>;
    for (const key of Object.keys(given)) if (!byName.has(key)) return undefined; // unknown fields: the pipe refuses them
    const out: Converted = {};
    for (const p of properties) {
      const raw = given[p.name];
      let value: unknown;
      if (raw === undefined) {
        // absent: the instance keeps its default, which the pipe validates as it is
        value = probe[p.name];
        if (value === undefined || value === null) {
          if (!p.optional) return undefined;
          continue;
        }
        for (const check of p.checks) if (!check(value)) return undefined;
        continue;
      }
      if (typeof raw !== 'string') return undefined;
      value = p.toNumber ? Number(raw) : raw;
      for (const check of p.checks) if (!check(value)) return undefined;
      out[p.name] = value;
    }
    return Object.assign(new metatype(), out);
  };
}

/**
 * The validation pipe with `compileQueryChecker`'s fast answer in front, for `@Query()`
 * DTOs: what the checker vouches for is answered at once, everything else (and every other
 * kind of argument) goes to `pipe`.
 */
export function withFastQueryChecks(pipe: PipeTransform): PipeTransform {
  const checkers = new Map<unknown, QueryChecker | undefined>();
  return {
    transform(value: unknown, metadata: ArgumentMetadata) {
      const type = metadata.metatype;
      if (metadata.type === 'query' && !metadata.data && typeof type === 'function' && type !== Object) {
        if (!checkers.has(type)) checkers.set(type, compileQueryChecker(type as new () => object));
        const fast = checkers.get(type)?.(value);
        if (fast) return fast;
      }
      return pipe.transform(value, metadata);
    },
  };
}

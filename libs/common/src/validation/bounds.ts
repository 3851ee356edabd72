import { applyDecorators, Param, ParseIntPipe, PipeTransform, Query, Type } from '@nestjs/common';
import { ApiParam, ApiProperty, ApiQuery } from '@nestjs/swagger';
import { ArrayMaxSize, Max, MaxLength, Min } from 'class-validator';
import { CommonErrors } from '../errors/common.errors';
import type { DomainError } from '../errors/domain-error';
import { fieldError } from '../http/validation';

/*
 * Bounds on request input stated once and applied twice: to the validation pipe
 * (class-validator) and to the OpenAPI schema, so the contract never promises a bound the
 * server does not enforce (Spectral's OWASP rules check the contract, tests the pipe).
 */

/**
 * A string of at most `max` characters (`each`: every string of an array): class-validator's
 * `@MaxLength` and the schema's `maxLength`. Put it beside the property's `@ApiProperty`.
 */
export const MaxChars = (max: number, options: { each?: boolean } = {}) =>
  applyDecorators(
    MaxLength(max, options.each ? { each: true } : undefined),
    ApiProperty(options.each ? { isArray: true, items: { type: 'string', maxLength: max } } : { maxLength: max }),
  );

/** An array of at most `max` items: `@ArrayMaxSize` and the schema's `maxItems`. */
export const MaxItems = (max: number) => applyDecorators(ArrayMaxSize(max), ApiProperty({ isArray: true, maxItems: max }));

/**
 * The schema of a whole number within `[min, max]`: `type: integer` with the narrowest
 * `format` that holds it (int32, else int64; every bound here is a safe integer).
 */
export function integerSchema(min: number, max: number) {
  const int32 = min >= -(2 ** 31) && max <= 2 ** 31 - 1;
  return { type: 'integer' as const, format: int32 ? 'int32' : 'int64', minimum: min, maximum: max };
}

/**
 * A number within `[min, max]`: `@Min`/`@Max` and the schema's `minimum`/`maximum`. With
 * `integer: true` the schema says so (`integerSchema`; pair it with `@IsInt()`).
 */
export const Between = (min: number, max: number, options: { integer?: boolean } = {}) =>
  applyDecorators(Min(min), Max(max), ApiProperty(options.integer ? integerSchema(min, max) : { minimum: min, maximum: max }));

export interface PathParamOptions {
  /** Longest value any real one has. */
  maxLength: number;
  description?: string;
  example?: string;
  format?: string;
  /** A regular expression the value matches (documented; enforce it with a pipe or in the service). */
  pattern?: string;
  /** The error for a value longer than `maxLength` (default: 400 VALIDATION_FAILED naming the parameter). */
  tooLong?: () => DomainError;
}

/** Refuses a path or query parameter longer than its bound, before any other pipe or the handler sees it. */
export class MaxLengthParamPipe implements PipeTransform<unknown> {
  constructor(
    private readonly name: string,
    private readonly options: PathParamOptions,
  ) {}

  transform(value: unknown): unknown {
    if (typeof value !== 'string' || value.length <= this.options.maxLength) return value;
    if (this.options.tooLong) throw this.options.tooLong();
    throw CommonErrors.VALIDATION_FAILED({
      fieldErrors: [fieldError(this.name, 'maxLength', `${this.name} must be shorter than or equal to ${this.options.maxLength} characters`)],
    });
  }
}

/**
 * A string path parameter, documented and enforced with the same bound:
 * `@PathParam('id', { maxLength: 36, format: 'uuid' }, ParseUUIDPipe) id: string` is
 * `@Param('id', <length check>, ParseUUIDPipe)` plus the operation's `@ApiParam` with
 * `schema.maxLength`.
 */
export function PathParam(name: string, options: PathParamOptions, ...pipes: Array<PipeTransform | Type<PipeTransform>>): ParameterDecorator {
  return (target, key, index) => {
    Param(name, new MaxLengthParamPipe(name, options), ...pipes)(target, key, index);
    if (key === undefined) return;
    ApiParam({ name, required: true, ...documented(options) })(target, key, Object.getOwnPropertyDescriptor(target, key)!);
  };
}

/** An optional single query parameter read on its own (`@Query('bbox')`), bounded like `PathParam`. */
export function QueryParam(name: string, options: PathParamOptions, ...pipes: Array<PipeTransform | Type<PipeTransform>>): ParameterDecorator {
  return (target, key, index) => {
    Query(name, new MaxLengthParamPipe(name, options), ...pipes)(target, key, index);
    if (key === undefined) return;
    ApiQuery({ name, required: false, ...documented(options) })(target, key, Object.getOwnPropertyDescriptor(target, key)!);
  };
}

export interface IntPathParamOptions {
  min: number;
  max: number;
  description?: string;
  example?: number;
}

/** Refuses a whole number outside `[min, max]` (after `ParseIntPipe`). */
class IntRangePipe implements PipeTransform<number> {
  constructor(
    private readonly name: string,
    private readonly options: IntPathParamOptions,
  ) {}

  transform(value: number): number {
    const { min, max } = this.options;
    if (value >= min && value <= max) return value;
    const [code, bound, word] = value < min ? ['min', min, 'less'] : ['max', max, 'greater'];
    throw CommonErrors.VALIDATION_FAILED({
      fieldErrors: [fieldError(this.name, code as string, `${this.name} must not be ${word as string} than ${bound as number}`)],
    });
  }
}

/**
 * A whole-number path parameter within `[min, max]`, documented and enforced with the same
 * bounds: `@IntPathParam('jalaliYear', { min: 1200, max: 1699 }) year: number` is
 * `@Param('jalaliYear', ParseIntPipe, <range check>)` plus the operation's `@ApiParam` with
 * `schema: { type: integer, minimum, maximum }`.
 */
export function IntPathParam(name: string, options: IntPathParamOptions): ParameterDecorator {
  return (target, key, index) => {
    Param(name, ParseIntPipe, new IntRangePipe(name, options))(target, key, index);
    if (key === undefined) return;
    const { min, max, description, example } = options;
    ApiParam({
      name,
      required: true,
      ...(description ? { description } : {}),
      schema: { ...integerSchema(min, max), ...(example !== undefined ? { example } : {}) },
    })(target, key, Object.getOwnPropertyDescriptor(target, key)!);
  };
}

function documented({ description, example, format, pattern, maxLength }: PathParamOptions) {
  return {
    ...(description ? { description } : {}),
    ...(example !== undefined ? { example } : {}),
    schema: { type: 'string' as const, maxLength, ...(format ? { format } : {}), ...(pattern ? { pattern } : {}) },
  };
}

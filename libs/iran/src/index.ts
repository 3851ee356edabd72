/**
 * @app/iran — pure helpers for Iranian identifiers, money, bills and the Jalali
 * calendar. No Nest, no I/O. See libs/iran/README.md.
 */
export * from './errors';
export * from './normalize';
export * from './national-id';
export * from './legal-id';
export * from './mobile';
export * from './sheba';
export * from './postal-code';
export * from './bill-payment';
export * from './jalali';
export * from './amount-words';
export * from './renewal-code';
export * from './working-week';

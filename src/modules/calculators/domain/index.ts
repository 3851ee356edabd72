/**
 * The calculators' pure domain (no Nest, no I/O; it loads no framework module):
 * - allowedDensity(input)  approved density of the last permit + allowed density, floors, setbacks, parking
 * - floorAreas(input)      per-storey areas, totals, density achieved; refuses layouts beyond the rules
 * - densityFee(input)      density-issuance fee above base density; refuses above maximum density
 * - buildingFee(input)     building-permit estimate: tariff items + parking deficit
 * - validateTariffTables(tables) / assertValidTariffTables(tables)
 * Inputs take the parcel's NET area (after street widening). Money is integer Rials,
 * each fee line floored (see numbers.ts); errors are CalculatorErrors (calculators.errors.ts).
 */
export * from './types';
export * from './numbers';
export * from './tariffs';
export * from './zone';
export * from './allowed-density';
export * from './floor-areas';
export * from './density-fee';
export * from './building-fee';
export * from './default-tariffs';

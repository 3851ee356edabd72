export * from './working-calendar';
export * from './sla-clock';
export * from './tehran-time';

/**
 * Import rules (`npm run -s deps:check`; issue 19). The map they keep:
 *
 *   libs/            pure libraries (@app/iran, @app/common): import nothing from src/
 *   src/config       configuration, src/database  the data layer's infrastructure: import no
 *                    module, no CLI, no application file
 *   src/modules/<m>  one folder per Nest module; a module imports another module only through
 *                    what that module exports (PUBLIC below), and the modules form no cycle
 *                    (checked by the reporter, scripts/deps-reporter.mjs, on the folder graph)
 *
 * A module's public surface is its top-level `*.module.ts` (to import the Nest module),
 * `*.service.ts` (its exported providers), `*.read-model.ts` (reads other modules compose),
 * `*.errors.ts` and `*.guard.ts`, and its `dto/` and `domain/` folders (shapes and pure
 * rules). Everything else — repositories, entities, controllers, helpers — is the module's
 * own: another module reaches its tables through a service or a read model.
 */

/** The files a module exports to other modules. */
const PUBLIC = '^src/modules/[^/]+/([^/]+\\.(module|service|read-model|errors|guard)\\.ts|(dto|domain)/.+)$';

/**
 * Named exceptions: entities of another module that an entity names in a relation, because
 * the relation is the table's foreign key (the schema and its migrations follow the
 * entities). Each line says who holds the relation.
 */
const RELATION_TARGETS = [
  // inquiry.citizen_id (inquiries/entities/inquiry.entity.ts)
  '^src/modules/membership/entities/citizen\\.entity\\.ts$',
  // inquiry.property_id (inquiries) and guild_licence.property_id (billing/entities/guild-licence.entity.ts)
  '^src/modules/properties/entities/property\\.entity\\.ts$',
  // org_inquiry_request.organization_id and webhook_endpoint.organization_id (integration/entities)
  '^src/modules/membership/entities/organization\\.entity\\.ts$',
];

module.exports = {
  forbidden: [
    {
      name: 'libs-not-to-src',
      comment: 'libs/ are libraries: they never import the application.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^src/' },
    },
    {
      name: 'infrastructure-not-to-modules',
      comment: 'src/config and src/database import no module, no CLI and no application file (the dependency goes the other way).',
      severity: 'error',
      from: { path: '^src/(config|database)/' },
      to: { path: ['^src/modules/', '^src/cli/', '^src/[^/]+\\.ts$'] },
    },
    {
      name: 'module-private',
      comment: 'A module imports another module only through what it exports (see PUBLIC).',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/', pathNot: '\\.entity\\.ts$' },
      to: { path: '^src/modules/', pathNot: ['^src/modules/$1/', PUBLIC] },
    },
    {
      name: 'entity-relations',
      comment: 'An entity names another module\'s entity only for a foreign key listed in RELATION_TARGETS.',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/.+\\.entity\\.ts$' },
      to: { path: '^src/modules/', pathNot: ['^src/modules/$1/', PUBLIC, ...RELATION_TARGETS] },
    },
    {
      name: 'no-unresolvable',
      comment: 'An import that resolves to nothing.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['node_modules', '\\.spec\\.ts$', '^src/database/migrations/'] },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};

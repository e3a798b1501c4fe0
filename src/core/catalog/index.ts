export * from './types';
export { Catalog, expandArgv, inferService, loadCatalog, parseCatalogYaml, shippedCatalogPath } from './catalog';
export type { CatalogSource, CatalogSources, ObservedService } from './catalog';

export * from './config';
export * from './configEdit';
export * from './errors';
export * from './isolation';
export * from './runtimeApi';
export * from './serversState';
export * from './validate';

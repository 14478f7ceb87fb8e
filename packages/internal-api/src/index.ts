export * as catalogApi from './catalog';
export * from './client';
export * as fundsApi from './funds';
export * as identityApi from './identity';

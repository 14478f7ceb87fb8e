export * from './client';
export * as catalogApi from './catalog';
export * as fundsApi from './funds';
export * as identityApi from './identity';

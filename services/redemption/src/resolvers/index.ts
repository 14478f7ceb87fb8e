import { Query } from './Query';

export const resolvers = { Query };

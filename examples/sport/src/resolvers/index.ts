import { Mutation } from './Mutation';
import { Offering } from './Offering';
import { Organization } from './Organization';
import { Query } from './Query';

export const resolvers = { Query, Mutation, Offering, Organization };

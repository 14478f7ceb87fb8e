import { DateTime } from './DateTime';
import { Grant } from './Grant';
import { Mutation } from './Mutation';
import { Offering } from './Offering';
import { Organization } from './Organization';
import { Query } from './Query';

export const resolvers = { DateTime, Query, Mutation, Offering, Organization, Grant };

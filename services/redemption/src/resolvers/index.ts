import { DateTime } from './DateTime';
import { Grant } from './Grant';
import { Mutation } from './Mutation';
import { Query } from './Query';
import { Redemption } from './Redemption';

export const resolvers = { DateTime, Query, Mutation, Redemption, Grant };

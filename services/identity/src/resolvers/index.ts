import { Beneficiary } from './Beneficiary';
import { Community } from './Community';
import { Membership } from './Membership';
import { Mutation } from './Mutation';
import { Organization } from './Organization';
import { Query } from './Query';
import { User } from './User';

export const resolvers = { Query, Mutation, User, Membership, Organization, Community, Beneficiary };

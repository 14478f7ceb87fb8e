import { Contribution } from './Contribution';
import { Fund } from './Fund';
import { Grant } from './Grant';
import { ImpactProviderSpend } from './ImpactReport';
import { Mutation } from './Mutation';
import { Program } from './Program';
import { Query } from './Query';
import { Redemption } from './Redemption';
import { Payout, SettlementRun, SkippedProvider } from './SettlementRun';
import { User } from './User';

export const resolvers = {
  Query,
  Mutation,
  Fund,
  Contribution,
  Program,
  Grant,
  User,
  ImpactProviderSpend,
  Redemption,
  SettlementRun,
  Payout,
  SkippedProvider,
};

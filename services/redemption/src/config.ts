import { baseEnv, port } from '@mentoring/subgraph-kit';

export const redemptionEnv = baseEnv.extend({ PORT: port(4004) });

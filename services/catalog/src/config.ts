import { baseEnv, port } from '@mentoring/subgraph-kit';

export const catalogEnv = baseEnv.extend({ PORT: port(4003) });

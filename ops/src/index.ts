export { createDashboard, type Dashboard, type DashboardOptions } from './dashboard';
export { runProgram } from './program';
export { QUEUE_NAMES } from './queues';

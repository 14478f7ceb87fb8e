// Internal API contracts served by the catalog service (input and output schemas).
import { z } from 'zod';
import { contract } from './client';

export {};

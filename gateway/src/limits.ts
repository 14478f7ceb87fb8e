import { ApolloArmor } from '@escape.tech/graphql-armor';

/** Limits every operation must pass before the gateway plans it. */
export interface EdgeLimits {
  /** Deepest selection nesting (introspection excluded). */
  maxDepth: number;
  /** Aliases in one operation. */
  maxAliases: number;
  /** graphql-armor's cost estimate (objects 2, scalars 1, ×1.5 per level). */
  maxCost: number;
  /** Lexical tokens in the document (checked while parsing). */
  maxTokens: number;
  /** Directives in one operation. */
  maxDirectives: number;
  /** Hide "Did you mean …?" hints, which reveal the schema. */
  blockFieldSuggestions: boolean;
}

export function defaultLimits(production: boolean): EdgeLimits {
  return {
    maxDepth: 10,
    maxAliases: 15,
    maxCost: 5000,
    maxTokens: 2000,
    maxDirectives: 50,
    blockFieldSuggestions: production,
  };
}

/** graphql-armor's Apollo Server settings: plugins, validation rules, no batching, no stack traces. */
export function armorFor(limits: EdgeLimits) {
  return new ApolloArmor({
    maxDepth: { n: limits.maxDepth },
    maxAliases: { n: limits.maxAliases },
    costLimit: { maxCost: limits.maxCost },
    maxTokens: { n: limits.maxTokens },
    maxDirectives: { n: limits.maxDirectives },
    blockFieldSuggestion: { enabled: limits.blockFieldSuggestions },
  }).protect();
}

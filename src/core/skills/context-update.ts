// A node's `context` block: assignments applied to the user's context variables when the node fires.
import { compileTemplate } from './templates.js';

export type ContextUpdate = (variables: Record<string, unknown>) => void;
type Produce = (variables: Readonly<Record<string, unknown>>) => unknown;

export function compileContextUpdate(context: Record<string, unknown> | undefined): ContextUpdate | undefined {
  if (context === undefined || Object.keys(context).length === 0) return undefined;
  const assignments = Object.entries(context).map(([name, value]) => [name, producerOf(value)] as const);
  return (variables) => {
    for (const [name, produce] of assignments) variables[name] = produce(variables);
  };
}

function producerOf(value: unknown): Produce {
  // Strings may reference other variables ("Hello $name").
  if (typeof value === 'string') return compileTemplate(value);
  // Each conversation gets its own copy: the caller owns, and may mutate, the variables it gets back.
  if (typeof value === 'object' && value !== null) return () => structuredClone(value);
  return () => value;
}

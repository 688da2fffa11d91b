import {
  OperationNodeTransformer, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type PrimitiveValueListNode,
  type QueryResult, type RootOperationNode, type UnknownRow, type ValueNode,
} from 'kysely';
import { pgText } from './pg-text.js';

class NulReplacer extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    return typeof node.value === 'string' ? { ...node, value: pgText(node.value) } : node;
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    return { ...node, values: node.values.map(pgText) };
  }
}

/**
 * Every string parameter of every query built with Kysely gets the same treatment as log text (pg-text.ts): a NUL,
 * which PostgreSQL text refuses, becomes U+FFFD, whatever the repository (workspaces, annotations, settings …), in
 * the values written and the values looked up alike. JSON is stored as text, where a NUL is the escape `\u0000`
 * (six characters), which PostgreSQL text accepts.
 */
export class NulReplacementPlugin implements KyselyPlugin {
  private readonly replacer = new NulReplacer();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.replacer.transformNode(args.node);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

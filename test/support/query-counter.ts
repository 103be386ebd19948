// Counts the SQL statements sent through a Kysely handle, for the tests that
// hold a page to a budget of queries per request. Counted as their results
// come back: a subquery built from the same handle (jsonArrayFrom, say) goes
// through the plugins' transformQuery too, but is part of one statement.
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from "kysely";

export class QueryCounter implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.count++;
    return args.result;
  }
}

// Reads [{"name": ..., "statement": ...}] on stdin; prints [{"name", "message"}] for every
// error Neo4j's Cypher language support finds. Parameters are supplied by the caller at run
// time, so "Parameter $x is not defined" is not an error here.
import { isNotParamError, lintCypherQuery } from '@neo4j-cypher/language-support';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const problems = [];
for (const { name, statement } of JSON.parse(input)) {
  for (const d of lintCypherQuery(statement, {}).diagnostics.filter(isNotParamError)) {
    problems.push({ name, severity: d.severity, message: d.message, offset: d.offsets?.start });
  }
}
process.stdout.write(JSON.stringify(problems) + '\n');

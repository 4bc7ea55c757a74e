import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

export const ROOT = path.resolve(import.meta.dirname, "..");

export interface ImportEdge {
  specifier: string;
  /** `import type`, or named imports that are all `type`: no code is loaded. */
  typeOnly: boolean;
}

/** Every module specifier a file imports or re-exports, and whether only types come with it. */
export function importsOf(file: string): ImportEdge[] {
  const source = ts.createSourceFile(
    file,
    fs.readFileSync(file, "utf8"),
    ts.ScriptTarget.Latest,
    true,
  );
  const found: ImportEdge[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const onlyTypes =
        clause?.isTypeOnly ||
        (clause !== undefined &&
          !clause.name &&
          bindings !== undefined &&
          ts.isNamedImports(bindings) &&
          bindings.elements.length > 0 &&
          bindings.elements.every((e) => e.isTypeOnly));
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: onlyTypes });
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false });
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      // `import("…").Name` in a type position.
      found.push({ specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Module specifiers a file imports for their values (type-only imports carry no code). */
export function valueImports(file: string): string[] {
  return importsOf(file)
    .filter((edge) => !edge.typeOnly)
    .map((edge) => edge.specifier);
}

/** A project file for a specifier, or the bare package name for anything in node_modules. */
export function resolveImport(specifier: string, from: string): string {
  let base: string;
  if (specifier.startsWith("@/")) base = path.join(ROOT, specifier.slice(2));
  else if (specifier.startsWith(".")) base = path.resolve(path.dirname(from), specifier);
  else return specifier;
  for (const candidate of [
    base,
    `${base}.ts`,
    `${base}.tsx`,
    path.join(base, "index.ts"),
    path.join(base, "index.tsx"),
  ]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`cannot resolve ${specifier} from ${path.relative(ROOT, from)}`);
}

export function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

/**
 * Follows value imports from `start` and returns the first chain that reaches a forbidden
 * module, without walking through the sanctioned gateways.
 */
export function findForbiddenChain(
  start: string,
  forbidden: (target: string) => boolean,
  gateways: Set<string>,
): string[] | null {
  const seen = new Set<string>();
  const walk = (file: string, chain: string[]): string[] | null => {
    for (const specifier of valueImports(file)) {
      const target = resolveImport(specifier, file);
      const next = [...chain, path.isAbsolute(target) ? path.relative(ROOT, target) : target];
      if (forbidden(target)) return next;
      if (!path.isAbsolute(target) || gateways.has(target) || seen.has(target)) continue;
      seen.add(target);
      const hit = walk(target, next);
      if (hit) return hit;
    }
    return null;
  };
  return walk(start, [path.relative(ROOT, start)]);
}

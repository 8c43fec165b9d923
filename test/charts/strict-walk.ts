// A strict field walk: a rendered object is walked key by key against the declared type of a
// maintained model (kubernetes-models for the Kubernetes API, @kubernetes-models/prometheus-operator
// for ServiceMonitor/PrometheusRule, @grafana/schema for dashboards), read with the TypeScript
// checker from the models' own declarations. A key the model does not declare is an error (the API
// server would drop it silently, e.g. `readOnlyRootFileSystem`), and so is a value of the wrong
// kind or outside a literal union (enums). The models' own validators (kubernetes-models'
// validate()) check required fields and formats; they ignore unknown keys, hence this walk.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { REPO_ROOT } from './charts';

const NODE_MODULES = path.join(REPO_ROOT, 'node_modules');

/** A model: a declaration file (without .d.ts, under node_modules) and the exported type name. */
export interface ModelRef {
  module: string;
  type: string;
}

const IGNORED = ts.TypeFlags.Undefined | ts.TypeFlags.Void;
const ANYTHING = ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.NonPrimitive;

export class StrictWalker {
  private readonly checker: ts.TypeChecker;
  private readonly types = new Map<string, ts.Type>();

  /** Compiles one program with every model, named by the keys of `models`. */
  constructor(models: Record<string, ModelRef>) {
    const entry = path.join(REPO_ROOT, 'test', 'charts', '__strict-walk-models__.ts');
    const names = Object.keys(models);
    const source = names
      .map((name, i) => {
        const file = path.join(NODE_MODULES, models[name]!.module);
        if (!fs.existsSync(`${file}.d.ts`)) throw new Error(`no model declarations at ${file}.d.ts`);
        return `import type { ${models[name]!.type} as T${i} } from ${JSON.stringify(file)};\nexport type M${i} = T${i};`;
      })
      .join('\n');
    const options: ts.CompilerOptions = { strict: true, noEmit: true, skipLibCheck: true, types: [], target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (file, lang) => (path.resolve(file) === entry ? ts.createSourceFile(file, source, lang, true) : getSourceFile(file, lang));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (file) => path.resolve(file) === entry || fileExists(file);
    const program = ts.createProgram([entry], options, host);
    const unresolved = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    if (unresolved.length > 0) throw new Error(`model declarations do not compile:\n${unresolved.slice(0, 5).join('\n')}`);
    this.checker = program.getTypeChecker();
    const sf = program.getSourceFile(entry)!;
    const aliases = sf.statements.filter(ts.isTypeAliasDeclaration);
    names.forEach((name, i) => this.types.set(name, this.checker.getTypeFromTypeNode(aliases[i]!.type)));
  }

  has(model: string): boolean {
    return this.types.has(model);
  }

  /** Problems of `value` against a model, each as "<path>: <what>". */
  walk(model: string, value: unknown, at = ''): string[] {
    const type = this.types.get(model);
    if (!type) throw new Error(`unknown model ${model}`);
    const problems: string[] = [];
    this.visit(value, type, at, problems);
    return problems;
  }

  private visit(value: unknown, type: ts.Type, at: string, problems: string[]): void {
    const members = (type.isUnion() ? type.types : [type]).filter((t) => !(t.flags & IGNORED));
    if (members.some((t) => t.flags & ANYTHING) || value === null) return;
    if (Array.isArray(value)) {
      const element = members.map((t) => this.elementType(t)).find((t): t is ts.Type => t !== undefined);
      if (!element) return void problems.push(`${at || '/'}: a list where the model has ${this.describe(type)}`);
      value.forEach((item, i) => this.visit(item, element, `${at}[${i}]`, problems));
      return;
    }
    if (typeof value === 'object') {
      const candidates = members.filter((t) => t.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection) && !this.elementType(t));
      if (candidates.length === 0) return void problems.push(`${at || '/'}: an object where the model has ${this.describe(type)}`);
      // Unions of object types (a row or a panel): the member that fits best.
      let best: string[] | undefined;
      for (const candidate of candidates) {
        const found: string[] = [];
        this.visitObject(value as Record<string, unknown>, candidate, at, found);
        if (!best || found.length < best.length) best = found;
        if (found.length === 0) break;
      }
      problems.push(...best!);
      return;
    }
    this.visitScalar(value, members, type, at, problems);
  }

  private visitObject(value: Record<string, unknown>, type: ts.Type, at: string, problems: string[]): void {
    const index = this.checker.getIndexInfoOfType(type, ts.IndexKind.String)?.type;
    const declared = this.checker.getPropertiesOfType(type);
    // `{}`: anything goes.
    if (!index && declared.length === 0) return;
    for (const [key, item] of Object.entries(value)) {
      const prop = this.checker.getPropertyOfType(type, key);
      if (prop) this.visit(item, this.checker.getTypeOfSymbol(prop), `${at}.${key}`, problems);
      else if (index) this.visit(item, index, `${at}.${key}`, problems);
      else problems.push(`${at}.${key}: no such field in ${this.describe(type, declared)}`);
    }
  }

  private visitScalar(value: unknown, members: ts.Type[], type: ts.Type, at: string, problems: string[]): void {
    const kinds: Record<string, ts.TypeFlags> = {
      string: ts.TypeFlags.StringLike,
      number: ts.TypeFlags.NumberLike,
      boolean: ts.TypeFlags.BooleanLike,
    };
    const flag = kinds[typeof value];
    const fitting = flag === undefined ? [] : members.filter((t) => t.flags & flag);
    if (fitting.length === 0) return void problems.push(`${at || '/'}: ${JSON.stringify(value)} where the model has ${this.describe(type)}`);
    // Only literals (an enum, 'h' | 'v'): the value must be one of them.
    const literals = fitting.filter((t) => t.isLiteral() || t.flags & ts.TypeFlags.BooleanLiteral);
    if (literals.length < fitting.length) return;
    const allowed = literals.map((t) => (t.isLiteral() ? t.value : this.checker.typeToString(t) === 'true'));
    if (!allowed.some((a) => a === value)) problems.push(`${at}: ${JSON.stringify(value)} is none of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }

  private elementType(t: ts.Type): ts.Type | undefined {
    const name = t.getSymbol()?.getName();
    if ((name === 'Array' || name === 'ReadonlyArray') && t.flags & ts.TypeFlags.Object) return this.checker.getTypeArguments(t as ts.TypeReference)[0];
    return undefined;
  }

  /** A type's name; an unnamed object type by its fields. */
  private describe(type: ts.Type, fields?: ts.Symbol[]): string {
    const name = type.aliasSymbol?.getName() ?? type.getSymbol()?.getName();
    if (name && name !== '__type' && name !== '__object') return name;
    if (fields) return `{ ${fields.map((f) => f.getName()).join(', ')} }`;
    return this.checker.typeToString(type).slice(0, 80);
  }
}

/** Where kubernetes-models and the prometheus-operator models declare a kind. */
export function kubernetesModel(apiVersion: string, kind: string): ModelRef {
  const pkg = apiVersion.startsWith('monitoring.coreos.com/') ? '@kubernetes-models/prometheus-operator' : 'kubernetes-models';
  return { module: `${pkg}/${apiVersion}/${kind}`, type: `I${kind}` };
}

/** The model's own validator (types, required fields, formats), as error lines. */
export function validateWithModel(apiVersion: string, kind: string, object: unknown): string[] {
  const ref = kubernetesModel(apiVersion, kind);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Model = (require(ref.module) as Record<string, new (data: unknown) => { validate(): void }>)[kind];
  if (!Model) return [`no model class ${kind} in ${ref.module}`];
  try {
    new Model(object).validate();
    return [];
  } catch (err) {
    const errors = (err as { errors?: { instancePath?: string; message?: string; params?: unknown }[] }).errors;
    return errors?.map((e) => `${e.instancePath || '/'}: ${e.message} ${JSON.stringify(e.params)}`) ?? [String(err)];
  }
}

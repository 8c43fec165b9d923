// Every chart's values.yaml and ci/*-values.yaml validate against its values.schema.json (what
// `helm lint`/`install` would enforce), umbrella blocks validate against the service chart's
// schema the way Helm coalesces them, and deliberately bad values are rejected.
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { type ValidateFunction } from 'ajv';
import { INSTALLABLE_CHARTS, UMBRELLA_CHART, VALUE_CHARTS, chartDir, ciValueFiles, isObject, readJson, readYaml, relative } from './charts';

function compile(chart: string): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  return ajv.compile(readJson(path.join(chartDir(chart), 'values.schema.json')) as object);
}

function errorsOf(validate: ValidateFunction, values: unknown): string[] {
  return validate(values) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
}

/** Helm's value coalescing: user values over chart defaults, maps merged deeply, null deletes. */
function coalesce(defaults: unknown, overrides: unknown): unknown {
  if (!isObject(defaults) || !isObject(overrides)) return overrides === undefined ? defaults : overrides;
  const out: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === null) delete out[k];
    else out[k] = coalesce(defaults[k], v);
  }
  return out;
}

interface ChartMeta {
  dependencies?: { name: string; condition?: string }[];
}

/**
 * The values Helm validates: user values coalesced over the chart's defaults, then a block per
 * dependency (its defaults, the parent's block for it, and the parent's globals), as Helm's
 * CoalesceValues does; the umbrella validates each service block against its own schema below.
 */
function helmValues(chart: string, user: unknown): Record<string, unknown> {
  const values = coalesce(defaults.get(chart as (typeof VALUE_CHARTS)[number]), user) as Record<string, unknown>;
  const meta = readYaml(path.join(chartDir(chart), 'Chart.yaml')) as ChartMeta;
  for (const dep of meta.dependencies ?? []) {
    const depDefaults = readYaml(path.join(chartDir(dep.name), 'values.yaml'));
    const block = coalesce(isObject(depDefaults) ? depDefaults : {}, values[dep.name] ?? {}) as Record<string, unknown>;
    block.global = coalesce(block.global ?? {}, values.global ?? {});
    values[dep.name] = block;
  }
  return values;
}

const validators = new Map(VALUE_CHARTS.map((c) => [c, compile(c)]));
const defaults = new Map(VALUE_CHARTS.map((c) => [c, readYaml(path.join(chartDir(c), 'values.yaml'))]));

describe('values.schema.json', () => {
  it.each(VALUE_CHARTS)('%s has a schema that closes its top level', (chart) => {
    const schema = readJson(path.join(chartDir(chart), 'values.schema.json')) as { additionalProperties?: unknown };
    expect(schema.additionalProperties).toBe(false);
  });

  it.each(VALUE_CHARTS)('%s/values.yaml validates', (chart) => {
    expect(errorsOf(validators.get(chart)!, helmValues(chart, {}))).toEqual([]);
  });

  const ciCases = VALUE_CHARTS.flatMap((chart) => ciValueFiles(chart).map((file) => [chart, relative(file), file] as const));

  it.each(VALUE_CHARTS)('%s has ci scenario files', (chart) => {
    expect(ciValueFiles(chart).length).toBeGreaterThanOrEqual(3);
  });

  it.each(ciCases)('%s: %s validates (merged over the defaults)', (chart, _name, file) => {
    expect(errorsOf(validators.get(chart)!, helmValues(chart, readYaml(file)))).toEqual([]);
  });

  // The umbrella's own schema checks only the enabled flags; Helm validates each subchart block
  // with the subchart's schema, after merging umbrella values and globals over its defaults.
  const umbrellaCases = [path.join(chartDir(UMBRELLA_CHART), 'values.yaml'), ...ciValueFiles(UMBRELLA_CHART)].flatMap((file) =>
    INSTALLABLE_CHARTS.map((service) => [relative(file), service, file] as const),
  );
  it.each(umbrellaCases)('umbrella %s: block %s validates against its chart schema', (_name, service, file) => {
    const umbrella = helmValues(UMBRELLA_CHART, readYaml(file));
    const block = helmValues(service, umbrella[service]);
    block.global = coalesce(block.global, umbrella.global);
    expect(errorsOf(validators.get(service)!, block)).toEqual([]);
  });
});

describe('bad values are rejected', () => {
  // fixtures/bad/<chart>--<what is wrong>.yaml, each merged over the chart defaults.
  const dir = path.join(__dirname, 'fixtures', 'bad');
  const cases = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => [f.split('--')[0]!, f.replace(/\.yaml$/, '').split('--')[1]!, path.join(dir, f)] as const);

  it('has bad fixtures for every chart', () => {
    expect(new Set(cases.map(([chart]) => chart))).toEqual(new Set(VALUE_CHARTS));
  });

  it.each(cases)('%s: %s', (chart, _what, file) => {
    const validate = validators.get(chart as (typeof VALUE_CHARTS)[number]);
    expect(validate).toBeDefined();
    const errors = errorsOf(validate!, helmValues(chart, readYaml(file)));
    expect(errors.length).toBeGreaterThan(0);
    // The fixture names the path that must be reported, in its first line: "# expect: /ports/http".
    const expected = /^# expect: (.+)$/m.exec(fs.readFileSync(file, 'utf8'))?.[1];
    expect(expected).toBeDefined();
    expect(errors.some((e) => e.startsWith(expected!))).toBe(true);
  });
});

// render-check: a stand-in for `helm template` where helm cannot be installed. It follows the Helm 3
// engine: Go text/template with sprig and Helm's include/tpl/toYaml/fromYaml/fromYamlArray/toJson/fromJson/
// required/fail/lookup, file:// dependencies rendered with their own values, the parent's
// `<subchart>:` block and `global` merged in, `condition:` flags, library charts rendering nothing,
// numbers as float64 like Helm's JSON round trip. `lookup` finds nothing (as in `helm template`).
// It does not replace `helm lint`: no Kubernetes schema, no values.schema.json (jest checks that).
//
// Build (Debian: golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v3-dev): see
// test/charts/helm.spec.ts, which builds it in GOPATH mode and runs it on every ci/*-values.yaml.
// Usage: render-check <chart dir> [values.yaml ...]   (STRICT=1: a missing map key is an error,
// as with `helm lint --strict`). Prints the manifests; exits 1 on any template or YAML error.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
	"gopkg.in/yaml.v3"
)

type Files map[string][]byte

// Values mirrors Helm's chartutil.Values.
type Values map[string]interface{}

func (f Files) Get(name string) string { return string(f[name]) }
func (f Files) Glob(pattern string) Files {
	out := Files{}
	for k, v := range f {
		if ok, _ := path.Match(pattern, k); ok {
			out[k] = v
		}
	}
	return out
}

type Chart struct {
	Dir       string
	Meta      map[string]interface{}
	Values    map[string]interface{}
	Files     Files
	Templates map[string]string
	Subs      []*Chart
	Alias     string
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "ERROR:", err)
		os.Exit(1)
	}
}

func readYaml(p string) map[string]interface{} {
	b, err := os.ReadFile(p)
	if err != nil {
		return map[string]interface{}{}
	}
	var m map[string]interface{}
	must(yaml.Unmarshal(b, &m))
	if m == nil {
		m = map[string]interface{}{}
	}
	return normalize(m).(map[string]interface{})
}

// JSON round trip like Helm (numbers become float64)
func normalize(v interface{}) interface{} {
	b, err := json.Marshal(v)
	must(err)
	var out interface{}
	must(json.Unmarshal(b, &out))
	return out
}

func load(dir string) *Chart {
	c := &Chart{Dir: dir, Meta: readYaml(filepath.Join(dir, "Chart.yaml")), Values: readYaml(filepath.Join(dir, "values.yaml")), Files: Files{}, Templates: map[string]string{}}
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		if strings.HasPrefix(rel, "charts/") {
			return nil
		}
		b, _ := os.ReadFile(p)
		if strings.HasPrefix(rel, "templates/") {
			c.Templates[rel] = string(b)
		} else {
			c.Files[rel] = b
		}
		return nil
	})
	if deps, ok := c.Meta["dependencies"].([]interface{}); ok {
		for _, d := range deps {
			dm := d.(map[string]interface{})
			repo, _ := dm["repository"].(string)
			if !strings.HasPrefix(repo, "file://") {
				continue
			}
			sub := load(filepath.Join(dir, strings.TrimPrefix(repo, "file://")))
			if a, ok := dm["alias"].(string); ok {
				sub.Alias = a
			}
			sub.Meta["_condition"] = dm["condition"]
			c.Subs = append(c.Subs, sub)
		}
	}
	return c
}

func (c *Chart) name() string {
	if c.Alias != "" {
		return c.Alias
	}
	return c.Meta["name"].(string)
}

func merge(dst, src map[string]interface{}) map[string]interface{} {
	out := map[string]interface{}{}
	for k, v := range dst {
		out[k] = v
	}
	for k, v := range src {
		if sm, ok := v.(map[string]interface{}); ok {
			if dm, ok := out[k].(map[string]interface{}); ok {
				out[k] = merge(dm, sm)
				continue
			}
		}
		if v == nil {
			delete(out, k)
			continue
		}
		out[k] = v
	}
	return out
}

func lookupPath(m map[string]interface{}, p string) (interface{}, bool) {
	var cur interface{} = m
	for _, part := range strings.Split(p, ".") {
		mm, ok := cur.(map[string]interface{})
		if !ok {
			return nil, false
		}
		cur, ok = mm[part]
		if !ok {
			return nil, false
		}
	}
	return cur, true
}

type job struct {
	name string
	ctx  map[string]interface{}
	lib  bool
}

func collect(c *Chart, vals map[string]interface{}, prefix string, tpl *template.Template, jobs *[]job, release map[string]interface{}) {
	chartObj := map[string]interface{}{"Name": c.Meta["name"], "Version": c.Meta["version"], "AppVersion": c.Meta["appVersion"], "Type": c.Meta["type"]}
	if chartObj["AppVersion"] == nil {
		chartObj["AppVersion"] = ""
	}
	if _, ok := vals["global"]; !ok {
		vals["global"] = map[string]interface{}{}
	}
	// Helm hands templates .Values as its named type chartutil.Values (nested maps stay plain);
	// sprig functions that type-assert map[string]interface{} (dig) fail on it, as in Helm.
	ctx := map[string]interface{}{"Values": Values(vals), "Release": release, "Chart": chartObj, "Files": c.Files,
		"Capabilities": map[string]interface{}{"KubeVersion": map[string]interface{}{"Version": "v1.30.0", "GitVersion": "v1.30.0"}},
		"Template":     map[string]interface{}{"BasePath": prefix + "templates"}}
	names := []string{}
	for k := range c.Templates {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		full := prefix + k
		template.Must(tpl.New(full).Parse(c.Templates[k]))
		base := path.Base(k)
		if strings.HasPrefix(base, "_") || c.Meta["type"] == "library" || strings.HasSuffix(base, ".txt") {
			continue
		}
		*jobs = append(*jobs, job{full, ctx, false})
	}
	for _, s := range c.Subs {
		sv, _ := vals[s.name()].(map[string]interface{})
		if sv == nil {
			sv = map[string]interface{}{}
		}
		if cond, ok := s.Meta["_condition"].(string); ok {
			if v, ok := lookupPath(vals, cond); ok {
				if b, ok := v.(bool); ok && !b {
					continue
				}
			}
		}
		subVals := merge(s.Values, sv)
		g1, _ := s.Values["global"].(map[string]interface{})
		g2, _ := vals["global"].(map[string]interface{})
		if g1 == nil {
			g1 = map[string]interface{}{}
		}
		subVals["global"] = merge(g1, g2)
		collect(s, subVals, prefix+"charts/"+s.name()+"/", tpl, jobs, release)
	}
}

func toYaml(v interface{}) string {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

func main() {
	chartDir := os.Args[1]
	c := load(chartDir)
	vals := c.Values
	for _, f := range os.Args[2:] {
		vals = merge(vals, readYaml(f))
	}
	release := map[string]interface{}{"Name": "demo", "Namespace": "starling", "Service": "Helm", "IsInstall": true, "IsUpgrade": false, "Revision": 1}
	tpl := template.New("root")
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env")
	delete(funcs, "expandenv")
	funcs["toYaml"] = func(v interface{}) string {
		if v == nil {
			return "null"
		}
		return toYaml(v)
	}
	funcs["fromYaml"] = func(s string) map[string]interface{} {
		var m map[string]interface{}
		yaml.Unmarshal([]byte(s), &m)
		return m
	}
	funcs["fromYamlArray"] = func(s string) []interface{} {
		var a []interface{}
		if err := yaml.Unmarshal([]byte(s), &a); err != nil {
			return []interface{}{err.Error()}
		}
		return a
	}
	funcs["toJson"] = func(v interface{}) string { b, _ := json.Marshal(v); return string(b) }
	funcs["fromJson"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	funcs["required"] = func(msg string, v interface{}) (interface{}, error) {
		if v == nil || v == "" {
			return nil, fmt.Errorf("%s", msg)
		}
		return v, nil
	}
	funcs["fail"] = func(msg string) (string, error) { return "", fmt.Errorf("%s", msg) }
	funcs["lookup"] = func(a, b, c, d string) map[string]interface{} { return map[string]interface{}{} }
	funcs["include"] = func(name string, data interface{}) (string, error) {
		var buf bytes.Buffer
		if err := tpl.ExecuteTemplate(&buf, name, data); err != nil {
			return "", err
		}
		return buf.String(), nil
	}
	funcs["tpl"] = func(text string, data interface{}) (string, error) {
		t2, err := tpl.Clone()
		if err != nil {
			return "", err
		}
		t3, err := t2.New("tpl").Parse(text)
		if os.Getenv("STRICT") != "" {
			t3.Option("missingkey=error")
		}
		if err != nil {
			return "", err
		}
		var buf bytes.Buffer
		if err := t3.Execute(&buf, data); err != nil {
			return "", err
		}
		return buf.String(), nil
	}
	mk := "missingkey=zero"
	if os.Getenv("STRICT") != "" {
		mk = "missingkey=error"
	}
	tpl.Funcs(funcs).Option(mk)
	jobs := []job{}
	collect(c, vals, c.Meta["name"].(string)+"/", tpl, &jobs, release)
	failed := false
	for _, j := range jobs {
		var buf bytes.Buffer
		if err := tpl.ExecuteTemplate(&buf, j.name, j.ctx); err != nil {
			fmt.Fprintln(os.Stderr, "ERROR rendering", j.name+":", err)
			failed = true
			continue
		}
		out := strings.ReplaceAll(buf.String(), "<no value>", "")
		if strings.TrimSpace(out) == "" {
			continue
		}
		dec := yaml.NewDecoder(strings.NewReader(out))
		for {
			var doc interface{}
			err := dec.Decode(&doc)
			if err != nil {
				if err.Error() != "EOF" {
					fmt.Fprintln(os.Stderr, "ERROR yaml", j.name+":", err)
					failed = true
				}
				break
			}
		}
		fmt.Printf("---\n# Source: %s\n%s\n", j.name, strings.TrimLeft(out, "\n-"))
	}
	if failed {
		os.Exit(1)
	}
}

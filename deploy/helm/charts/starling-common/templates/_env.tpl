{{/*
Connections to PostgreSQL and Redis, which run outside the charts. A chart's own block
(`database:` / `redis:`) wins over `global.database` / `global.redis` as soon as it sets a url or an
existingSecret. A plain url goes into the chart's Secret `<fullname>-env`; an existingSecret is read
as is. Neither set: the variable is left out (PGlite / in-process store inside the pod).
Call with (dict "ctx" . "key" "database"); returns JSON {secret, key, url}.
*/}}
{{- define "starling.connection" -}}
{{- $local := default dict (index .ctx.Values .key) -}}
{{- $global := default dict (index (default dict .ctx.Values.global) .key) -}}
{{- $src := ternary $local $global (or (not (empty (get $local "url"))) (not (empty (get $local "existingSecret")))) -}}
{{- $envName := ternary "DATABASE_URL" "REDIS_URL" (eq .key "database") -}}
{{- if get (default dict (get $local "perNode")) "urlTemplate" -}}
{{- /* the chart sets a per-pod URL itself (swarm-store) */ -}}
{{- dict "env" $envName | toJson -}}
{{- else if get $src "existingSecret" -}}
{{- dict "secret" (get $src "existingSecret") "key" (default (ternary "database-url" "redis-url" (eq .key "database")) (get $src "existingSecretKey")) "env" $envName | toJson -}}
{{- else if get $src "url" -}}
{{- dict "secret" (printf "%s-env" (include "starling.fullname" .ctx)) "key" $envName "url" (get $src "url") "env" $envName | toJson -}}
{{- else -}}
{{- dict "env" $envName | toJson -}}
{{- end -}}
{{- end -}}

{{/* Env entries for DATABASE_URL and REDIS_URL (only those the chart uses: .Values.<key> exists). */}}
{{- define "starling.connectionEnv" -}}
{{- range $key := list "database" "redis" }}
{{- if hasKey $.Values $key }}
{{- $c := include "starling.connection" (dict "ctx" $ "key" $key) | fromJson }}
{{- if get $c "secret" }}
- name: {{ $c.env }}
  valueFrom:
    secretKeyRef:
      name: {{ $c.secret }}
      key: {{ $c.key }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Common env: log level, connections, then the operator's plain `env:` map and raw `extraEnv:`. */}}
{{- define "starling.commonEnv" -}}
- name: LOG_LEVEL
  value: {{ default .Values.logLevel .Values.global.logLevel | quote }}
- name: NODE_ENV
  value: production
{{- include "starling.connectionEnv" . }}
{{- range $name, $value := .Values.env }}
- name: {{ $name }}
  value: {{ tpl (toString $value) $ | quote }}
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The chart's Secret with plain connection URLs, rendered only when one is given as a url. */}}
{{- define "starling.envSecret" -}}
{{- $data := dict -}}
{{- range $key := list "database" "redis" -}}
{{- if hasKey $.Values $key -}}
{{- $c := include "starling.connection" (dict "ctx" $ "key" $key) | fromJson -}}
{{- if get $c "url" -}}
{{- $_ := set $data $c.env $c.url -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if $data }}
apiVersion: v1
kind: Secret
metadata:
  name: {{ include "starling.fullname" . }}-env
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "starling.labels" . | nindent 4 }}
type: Opaque
stringData:
  {{- range $k, $v := $data }}
  {{ $k }}: {{ $v | quote }}
  {{- end }}
{{- end }}
{{- end -}}

{{/*
A per-identity key Secret, generated once and kept: `lookup` reuses the existing one on upgrade and
the resource-policy annotation keeps it when the release is deleted. `helm template` cannot look
up, so GitOps users set existingSecret instead. The key is 32 random bytes as 64 hex characters.
Call with (dict "ctx" . "name" "<secret name>" "key" "<data key>").
*/}}
{{- define "starling.keySecret" -}}
{{- $existing := lookup "v1" "Secret" .ctx.Release.Namespace .name -}}
{{- $value := "" -}}
{{- if hasKey (default dict (get $existing "data")) .key -}}
{{- $value = index $existing.data .key -}}
{{- else -}}
{{- $value = sha256sum (randAlphaNum 64) | b64enc -}}
{{- end }}
apiVersion: v1
kind: Secret
metadata:
  name: {{ .name }}
  namespace: {{ .ctx.Release.Namespace }}
  labels:
    {{- include "starling.labels" .ctx | nindent 4 }}
  annotations:
    helm.sh/resource-policy: keep
type: Opaque
data:
  {{ .key }}: {{ $value }}
{{- end -}}

{{/* host:port of the registry's gRPC server: global.registryAddress, else the registry chart's
Service in the same release. */}}
{{- define "starling.registryAddress" -}}
{{- default (printf "%s-registry:%v" .Release.Name (default 22030 .Values.global.registryGrpcPort)) .Values.global.registryAddress -}}
{{- end -}}

{{/* Replicas share state only through PostgreSQL: refuse more than one replica (or an HPA) with
the embedded database, whose data would differ per pod. */}}
{{- define "starling.requireDatabaseForReplicas" -}}
{{- $db := include "starling.connection" (dict "ctx" . "key" "database") | fromJson -}}
{{- $autoscaling := get (default dict (get .Values "autoscaling")) "enabled" -}}
{{- if and (or (gt (int .Values.replicaCount) 1) $autoscaling) (not (get $db "secret")) -}}
{{- fail (printf "%s: more than one replica needs PostgreSQL (set database.url, database.existingSecret or global.database); the embedded database serves one replica only" .Chart.Name) -}}
{{- end -}}
{{- end -}}

{{/*
Persistent key material: `keys.existingSecret` names a Secret of yours; otherwise the chart
generates `<name>` once (see starling.keySecret). Call with (dict "ctx" . "keys" <values block>
"name" <generated Secret name>); returns the Secret name to read.
*/}}
{{- define "starling.keySecretName" -}}
{{- default .name (get .keys "existingSecret") -}}
{{- end -}}

{{/* Renders the generated key Secret unless an existing one is given. Same arguments. */}}
{{- define "starling.generatedKeySecret" -}}
{{- if not (get .keys "existingSecret") }}
{{- include "starling.keySecret" (dict "ctx" .ctx "name" .name "key" .keys.existingSecretKey) }}
{{- end }}
{{- end -}}

{{/* Env entry reading the key. Same arguments plus "env" <variable name>. */}}
{{- define "starling.keyEnv" -}}
- name: {{ .env }}
  valueFrom:
    secretKeyRef:
      name: {{ include "starling.keySecretName" . }}
      key: {{ .keys.existingSecretKey }}
{{- end -}}

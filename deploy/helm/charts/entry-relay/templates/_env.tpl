{{/* Settings of services/entry-relay/src/config.ts that the chart owns, for one group.
Call with (dict "ctx" . "group" <merged group> "name" <group fullname>). */}}
{{- define "entry-relay.env" -}}
{{- $v := .ctx.Values -}}
- name: ENTRY_RELAY_HOST
  value: "0.0.0.0"
- name: ENTRY_RELAY_OPS_PORT
  value: {{ $v.ports.ops | quote }}
- name: ENTRY_RELAY_DRAIN_DELAY
  value: {{ printf "%ds" (int $v.shutdown.drainDelaySeconds) | quote }}
- name: ENTRY_RELAY_HTTP_PORT
  value: {{ $v.ports.http | quote }}
- name: ENTRY_RELAY_GRPC_PORT
  value: {{ $v.ports.grpc | quote }}
- name: ENTRY_RELAY_GRPC_ADVERTISE
  value: {{ printf "%s.%s.svc.%s:%v" .name .ctx.Release.Namespace $v.clusterDomain $v.ports.grpc | quote }}
{{- with (get .group "publicHost") }}
- name: ENTRY_RELAY_PUBLIC_HOST
  value: {{ . | quote }}
{{- end }}
- name: ENTRY_RELAY_PUBLIC_PORT
  value: {{ .group.service.port | quote }}
- name: ENTRY_RELAY_DATA_DIR
  value: /data
- name: REGISTRY_GRPC_ADDRESS
  value: {{ include "starling.registryAddress" .ctx | quote }}
{{- include "starling.nodeEnv" (dict "ctx" .ctx "prefix" "ENTRY_RELAY" "relay" $v.relay "tls" .group.tls) }}
{{ include "starling.keyEnv" (dict "keys" .group.keys "name" (printf "%s-key" .name) "env" "ENTRY_RELAY_KEY") }}
{{ include "starling.keyEnv" (dict "keys" $v.rateLimitSecret "name" (printf "%s-rate-limit" (include "starling.fullname" .ctx)) "env" "ENTRY_RELAY_RATE_LIMIT_SECRET") }}
{{- end -}}

{{/* The groups with the chart defaults merged in, as JSON {"groups": [...]}, each with its
object name `<fullname>-<group>`. */}}
{{- define "entry-relay.groups" -}}
{{- $defaults := pick .Values "replicaCount" "autoscaling" "service" "publicHost" "keys" "tls" "podDisruptionBudget" -}}
{{- $out := list -}}
{{- $seen := dict -}}
{{- range .Values.groups -}}
{{- if hasKey $seen .name -}}
{{- fail (printf "entry-relay: relay group %q is listed twice; each group is one relay identity" .name) -}}
{{- end -}}
{{- $_ := set $seen .name true -}}
{{- $g := mergeOverwrite (deepCopy $defaults) (deepCopy .) -}}
{{- $_ := set $g "fullname" (printf "%s-%s" (include "starling.fullname" $) .name | trunc 63 | trimSuffix "-") -}}
{{- $out = append $out $g -}}
{{- end -}}
{{- dict "groups" $out | toJson -}}
{{- end -}}

{{/* The public Service of a group: only the onion port, on service.port. */}}
{{- define "entry-relay.publicService" -}}
{{- $svc := .group.service -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ .group.fullname }}-public
  namespace: {{ .ctx.Release.Namespace }}
  labels:
    {{- include "starling.labels" .ctx | nindent 4 }}
    {{- toYaml .selector | nindent 4 }}
  {{- with (get $svc "annotations") }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ $svc.type }}
  {{- with (get $svc "loadBalancerIP") }}
  loadBalancerIP: {{ . }}
  {{- end }}
  {{- with (get $svc "loadBalancerSourceRanges") }}
  loadBalancerSourceRanges:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- if and (ne $svc.type "ClusterIP") (get $svc "externalTrafficPolicy") }}
  externalTrafficPolicy: {{ get $svc "externalTrafficPolicy" }}
  {{- end }}
  ports:
    - name: http
      port: {{ $svc.port }}
      targetPort: http
      protocol: TCP
  selector:
    {{- include "starling.selectorLabels" .ctx | nindent 4 }}
    {{- toYaml .selector | nindent 4 }}
{{- end -}}

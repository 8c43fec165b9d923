{{/*
Prometheus operator ServiceMonitor (selects the chart's Service labelled starling.io/metrics) and
Grafana dashboards: one ConfigMap per file in the chart's dashboards/ folder, labelled for the
Grafana sidecar (`grafana_dashboard: "1"` by default).
*/}}
{{- define "starling.serviceMonitor" -}}
{{- $sm := .Values.metrics.serviceMonitor -}}
{{- if and .Values.metrics.enabled (or $sm.enabled (get (default dict (get .Values.global "serviceMonitor")) "enabled")) }}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "starling.fullname" . }}
  namespace: {{ include "starling.namespaceOr" (dict "ctx" . "namespace" $sm.namespace) }}
  labels:
    {{- include "starling.labels" . | nindent 4 }}
    {{- with merge (dict) (default dict $sm.additionalLabels) (default dict (get (default dict (get .Values.global "serviceMonitor")) "additionalLabels")) }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  namespaceSelector:
    matchNames:
      - {{ .Release.Namespace }}
  selector:
    matchLabels:
      {{- include "starling.selectorLabels" . | nindent 6 }}
      starling.io/metrics: "true"
  endpoints:
    - port: {{ .Values.metrics.portName }}
      path: {{ .Values.metrics.path }}
      ## The services label every series with service="<name>"; keep it over the target's
      ## Kubernetes Service name.
      honorLabels: true
      interval: {{ $sm.interval }}
      scrapeTimeout: {{ $sm.scrapeTimeout }}
      {{- with $sm.relabelings }}
      relabelings:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end }}
{{- end -}}

{{- define "starling.prometheusRule" -}}
{{- $pr := .Values.metrics.prometheusRule -}}
{{- if and .Values.metrics.enabled $pr.enabled $pr.rules }}
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: {{ include "starling.fullname" . }}
  namespace: {{ include "starling.namespaceOr" (dict "ctx" . "namespace" $pr.namespace) }}
  labels:
    {{- include "starling.labels" . | nindent 4 }}
    {{- with $pr.additionalLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  groups:
    - name: {{ include "starling.fullname" . }}
      rules:
        {{- toYaml $pr.rules | nindent 8 }}
{{- end }}
{{- end -}}

{{- define "starling.dashboards" -}}
{{- $d := .Values.dashboards -}}
{{- if or $d.enabled (get (default dict (get .Values.global "dashboards")) "enabled") }}
{{- range $path, $_ := .Files.Glob "dashboards/*.json" }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ printf "%s-dashboard-%s" (include "starling.fullname" $) (base $path | trimSuffix ".json") | trunc 63 | trimSuffix "-" }}
  namespace: {{ include "starling.namespaceOr" (dict "ctx" $ "namespace" $d.namespace) }}
  labels:
    {{- include "starling.labels" $ | nindent 4 }}
    {{- toYaml $d.labels | nindent 4 }}
  {{- with $d.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
data:
  {{ base $path }}: |-
    {{- $.Files.Get $path | nindent 4 }}
{{- end }}
{{- end }}
{{- end -}}
